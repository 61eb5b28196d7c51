namespace Butterfly.Protocol.Contracts;

/// <summary>The database's size on disk in a <see cref="StatusReply"/>.</summary>
/// <param name="DatabaseBytes">butterfly.db.</param>
/// <param name="WalBytes">Its write-ahead log.</param>
/// <param name="Commits">Transactions committed since the start.</param>
public sealed record StatusStore(long DatabaseBytes, long WalBytes, long Commits);
