using Butterfly.Storage.Internal;

namespace Butterfly.Storage.Postgres;

/// <summary>Threads: rows of <c>threads</c> per (account, content), written by the transactions that store (PgWrite.ThreadAsync).</summary>
public sealed partial class PgSearchStore
{
    private const string ThreadSql =
        $"SELECT {Columns} FROM threads t JOIN messages m ON m.content_id = t.content_id "
        + "JOIN folders f ON f.id = m.folder_id AND f.account_id = t.account_id JOIN contents c ON c.id = m.content_id "
        + "WHERE t.account_id = @a AND t.thread_id = @t ORDER BY m.received, m.modseq, m.folder_id, m.id";

    // A content the backlog has not reached yet is a thread of its own: its copies in the account.
    private const string UnthreadedSql =
        $"SELECT {Columns} FROM messages m JOIN folders f ON f.id = m.folder_id JOIN contents c ON c.id = m.content_id "
        + "WHERE f.account_id = @a AND m.content_id = @c ORDER BY m.received, m.modseq, m.folder_id, m.id";

    // One row per thread with messages in the folder (unthreaded contents numbered below zero, apart), the
    // newest first, each with its newest message in the folder.
    private const string ListThreadsSql =
        $"SELECT {PgMessageStore.MessageColumns}, g.thread, g.count, g.unseen FROM ("
        + "SELECT COALESCE(t.thread_id, -m.content_id) AS thread, COUNT(*) AS count, COUNT(*) FILTER (WHERE (m.flags & @seen) = 0) AS unseen, "
        + "MAX(m.id) AS latest FROM messages m LEFT JOIN threads t ON t.account_id = @a AND t.content_id = m.content_id "
        + "WHERE m.folder_id = @f GROUP BY 1 ORDER BY latest DESC LIMIT @l OFFSET @o) g "
        + "JOIN messages m ON m.folder_id = @f AND m.id = g.latest JOIN contents c ON c.id = m.content_id ORDER BY g.latest DESC";

    /// <inheritdoc/>
    public Task<StoreResult<IReadOnlyList<MessageItem>>> ThreadAsync(long accountId, string folder, long id, CancellationToken ct = default)
        => InFolderAsync<IReadOnlyList<MessageItem>>(accountId, folder, ct, async (read, folderId, canonical) =>
        {
            if (await read.Int64Async("SELECT content_id FROM messages WHERE folder_id = @f AND id = @i", ("f", folderId), ("i", id))
                .ConfigureAwait(false) is not { } contentId)
            {
                return Failures.MessageNotFound(id, canonical);
            }

            var threadId = await read.Int64Async("SELECT thread_id FROM threads WHERE account_id = @a AND content_id = @c", ("a", accountId), ("c", contentId))
                .ConfigureAwait(false);
            var messages = threadId is null
                ? await read.ListAsync(UnthreadedSql, ReadWithFolder, ("a", accountId), ("c", contentId)).ConfigureAwait(false)
                : await read.ListAsync(ThreadSql, ReadWithFolder, ("a", accountId), ("t", threadId.Value)).ConfigureAwait(false);
            return StoreResult<IReadOnlyList<MessageItem>>.Success(messages);
        });

    /// <inheritdoc/>
    public Task<StoreResult<ThreadPage>> ListThreadsAsync(long accountId, string folder, int limit, long offset = 0, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return InFolderAsync(accountId, folder, ct, async (read, folderId, canonical) =>
        {
            var threads = await read.ListAsync(
                ListThreadsSql,
                r => new ThreadSummary(r.GetInt64(11), r.GetInt64(12), r.GetInt64(13), PgMessageStore.ReadMessageItem(r, canonical)),
                ("a", accountId), ("f", folderId), ("seen", (long)MessageFlags.Seen), ("l", (long)limit + 1), ("o", offset)).ConfigureAwait(false);
            long? next = null;
            if (threads.Count > limit)
            {
                threads.RemoveAt(limit);
                next = offset + limit;
            }

            return StoreResult<ThreadPage>.Success(new ThreadPage(canonical, threads, next));
        });
    }
}
