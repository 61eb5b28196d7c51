namespace Butterfly.Storage;

/// <summary>
/// Full-text search, threads, and the indexing backlog.
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface ISearchStore
{
    /// <summary>
    /// Searches the account's messages, newest first (by the arrival of their content; in one folder
    /// without words, by id), <paramref name="limit"/> from <paramref name="offset"/>.
    /// </summary>
    /// <returns>The page; or <see cref="StoreError.FolderNotFound"/> for an <c>in:</c> folder that does not exist.</returns>
    Task<StoreResult<SearchPage>> SearchAsync(long accountId, SearchQuery query, int limit, long offset = 0, CancellationToken ct = default);

    /// <summary>The conversation a message belongs to, oldest first, across the account's folders.</summary>
    /// <returns>The messages; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.MessageNotFound"/>.</returns>
    Task<StoreResult<IReadOnlyList<MessageItem>>> ThreadAsync(long accountId, string folder, long id, CancellationToken ct = default);

    /// <summary>A folder's conversations, the one with the newest message first: one entry per thread.</summary>
    /// <returns>The page; or <see cref="StoreError.FolderNotFound"/>.</returns>
    Task<StoreResult<ThreadPage>> ListThreadsAsync(long accountId, string folder, int limit, long offset = 0, CancellationToken ct = default);

    /// <summary>How many contents stored before the index still wait to be indexed.</summary>
    Task<long> PendingCountAsync(CancellationToken ct = default);

    /// <summary>The next <paramref name="max"/> contents waiting to be indexed, oldest first, with their bytes.</summary>
    Task<IReadOnlyList<PendingContent>> PendingAsync(int max, CancellationToken ct = default);

    /// <summary>
    /// Indexes contents from before the index with the text the caller extracted, and threads every
    /// account's copies of them, in one transaction; each leaves the backlog in it (so a restart resumes
    /// after the last batch). A content deleted meanwhile is skipped.
    /// </summary>
    Task IndexPendingAsync(IReadOnlyList<(long ContentId, ContentText Text)> items, CancellationToken ct = default);
}
