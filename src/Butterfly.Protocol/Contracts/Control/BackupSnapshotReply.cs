namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>backup.snapshot</c>: where the daemon wrote the database copy (protocol/control.md, "backup.snapshot").</summary>
/// <param name="Path">The copy, a file in the data folder that the caller moves away.</param>
/// <param name="SchemaVersion">The copy's schema version.</param>
/// <param name="Bytes">The copy's size.</param>
public sealed record BackupSnapshotReply(string Path, int SchemaVersion, long Bytes) : OkReply;
