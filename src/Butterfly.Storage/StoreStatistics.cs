namespace Butterfly.Storage;

/// <summary>Counters of the writer since the store was opened.</summary>
/// <param name="Commits">Transactions committed.</param>
/// <param name="Operations">Write operations run (each in its own savepoint).</param>
/// <param name="LargestBatch">The most operations one transaction held.</param>
/// <param name="ExecuteTime">Time the writer spent running operations (statements, no commit).</param>
/// <param name="CommitTime">Time the writer spent committing, which is mostly waiting for fsync.</param>
public sealed record StoreStatistics(long Commits, long Operations, long LargestBatch, TimeSpan ExecuteTime, TimeSpan CommitTime);
