namespace Butterfly.Storage;

/// <summary>Counters of the writer since the store was opened.</summary>
/// <param name="Commits">Transactions committed.</param>
/// <param name="Operations">Write operations run (each in its own savepoint).</param>
/// <param name="LargestBatch">The most operations one transaction held.</param>
public sealed record StoreStatistics(long Commits, long Operations, long LargestBatch);
