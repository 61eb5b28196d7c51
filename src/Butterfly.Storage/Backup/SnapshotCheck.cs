namespace Butterfly.Storage.Backup;

/// <summary>What checking a database copy found.</summary>
/// <param name="SchemaVersion">Its <c>PRAGMA user_version</c> (0 when it could not be read).</param>
/// <param name="Problems">What is wrong, one sentence each; empty when it passes.</param>
public sealed record SnapshotCheck(int SchemaVersion, IReadOnlyList<string> Problems)
{
    /// <summary>Whether the copy passed.</summary>
    public bool Ok => Problems.Count == 0;
}
