namespace Butterfly.Storage.Internal;

/// <summary>What every store of one database shares: the options, the one writer and the read pool.</summary>
/// <param name="Options">The options the database was opened with.</param>
/// <param name="Writer">The single writer.</param>
/// <param name="Readers">The read connections.</param>
/// <param name="Space">The room left in the data folder, and its reserve.</param>
/// <param name="Backlog">Contents stored and waiting for the search index.</param>
internal sealed record StoreCore(StoreOptions Options, GroupCommitWriter Writer, ReadConnectionPool Readers, DiskSpace Space, SearchBacklog Backlog);
