namespace Butterfly.Storage.Postgres;

/// <summary>
/// INTERIM, replaced by the PostgreSQL search store before issue 17 closes: nothing waits to be indexed (every
/// content is indexed as it is stored) and searching is not there yet, which the caller hears as an error.
/// </summary>
internal sealed class InterimSearchStore : ISearchStore
{
    public Task<StoreResult<SearchPage>> SearchAsync(long accountId, SearchQuery query, int limit, long offset = 0, CancellationToken ct = default)
        => throw new NotSupportedException("Search on PostgreSQL is not in this build yet.");

    public Task<StoreResult<IReadOnlyList<MessageItem>>> ThreadAsync(long accountId, string folder, long id, CancellationToken ct = default)
        => throw new NotSupportedException("Threads on PostgreSQL are not in this build yet.");

    public Task<StoreResult<ThreadPage>> ListThreadsAsync(long accountId, string folder, int limit, long offset = 0, CancellationToken ct = default)
        => throw new NotSupportedException("Threads on PostgreSQL are not in this build yet.");

    public Task<long> PendingCountAsync(CancellationToken ct = default) => Task.FromResult(0L);

    public Task<IReadOnlyList<PendingContent>> PendingAsync(int max, CancellationToken ct = default) => Task.FromResult<IReadOnlyList<PendingContent>>([]);

    public Task IndexPendingAsync(IReadOnlyList<(long ContentId, ContentText Text)> items, CancellationToken ct = default) => Task.CompletedTask;
}
