using System.Globalization;
using System.Text;
using Butterfly.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage;

/// <summary>
/// Full-text search (FTS5 over each content once, joined to the account's messages for folder, flag and
/// date filters) and threads. Threads are written by the transactions that store, move and delete; the
/// index just after the transaction that stores a content (a search waits for it); contents from before
/// the index, or left unindexed by a crash, wait for <see cref="IndexPendingAsync"/>.
/// </summary>
public sealed class SearchStore : ISearchStore
{
    private const string Columns = $"{MessageStore.MessageColumns}, f.name";
    private const string FolderSql = "SELECT id FROM folders WHERE account_id = $a AND name = $n";

    /// <summary>How long a search waits for the index to take in mail stored before it, at most.</summary>
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(10);

    private readonly StoreCore _core;

    internal SearchStore(StoreCore core) => _core = core;

    /// <summary>
    /// Searches the account's messages, newest first (by the arrival of their content; in one folder
    /// without words, by id), <paramref name="limit"/> from <paramref name="offset"/>.
    /// </summary>
    /// <returns>The page; or <see cref="StoreError.FolderNotFound"/> for an <c>in:</c> folder that does not exist.</returns>
    public async Task<StoreResult<SearchPage>> SearchAsync(long accountId, SearchQuery query, int limit, long offset = 0, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        string? folder = null;
        if (query.Folder is not null)
        {
            if (!FolderNames.TryCanonicalize(query.Folder, out var canonical, out _))
            {
                return Failures.FolderNotFound(query.Folder);
            }

            folder = canonical;
        }

        // Newest first without sorting the matches: a content's id grows with its arrival, and FTS5 walks
        // its matches in rowid order, so the first page costs a page's worth of rows however common the
        // words (CROSS JOIN keeps the index as the outer loop). Without words a folder is read by id
        // (its own arrival order), all folders through the content index.
        var sql = new StringBuilder($"SELECT {Columns} FROM ");
        sql.Append(query.Terms.Count > 0
            ? "search s CROSS JOIN messages m ON m.content_id = s.rowid CROSS JOIN folders f ON f.id = m.folder_id "
            : "messages m CROSS JOIN folders f ON f.id = m.folder_id ");
        sql.Append("CROSS JOIN contents c ON c.id = m.content_id WHERE f.account_id = $a ");
        sql.Append(folder is null ? "AND f.name NOT IN ('Trash', 'Junk') " : "AND m.folder_id = $f ");
        if (query.Terms.Count > 0)
        {
            sql.Append("AND search MATCH $q ");
        }

        if (query.WithFlags != MessageFlags.None)
        {
            sql.Append("AND (m.flags & $wf) = $wf ");
        }

        if (query.WithoutFlags != MessageFlags.None)
        {
            sql.Append("AND (m.flags & $nf) = 0 ");
        }

        if (query.HasAttachment)
        {
            sql.Append("AND c.has_attachment = 1 ");
        }

        sql.Append("AND m.received >= $after AND m.received < $before ");
        sql.Append(query.Terms.Count > 0 ? "ORDER BY s.rowid DESC " : folder is null ? "ORDER BY m.content_id DESC " : "ORDER BY m.id DESC ");
        sql.Append("LIMIT $l OFFSET $o");

        if (query.Terms.Count > 0)
        {
            // Mail is indexed just after its commit (SearchBacklog): what was stored before this search is
            // found by it. Should the index fall this far behind, the search answers from what it holds.
            await _core.Backlog.WaitIndexedAsync(CatchUpLimit, ct).ConfigureAwait(false);
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        lease.BeginSnapshot();
        long? folderId = null;
        if (folder is not null && (folderId = lease.Command(FolderSql).Bind("$a", accountId).Bind("$n", folder).ScalarInt64()) is null)
        {
            lease.EndSnapshot();
            return Failures.FolderNotFound(folder);
        }

        var command = lease.Command(sql.ToString())
            .Bind("$a", accountId)
            .Bind("$after", query.After is { } after ? UnixTime.ToMs(after) : long.MinValue)
            .Bind("$before", query.Before is { } before ? UnixTime.ToMs(before) : long.MaxValue)
            .Bind("$l", (long)limit + 1)
            .Bind("$o", offset);
        if (folderId is not null)
        {
            command.Bind("$f", folderId.Value);
        }

        if (query.Terms.Count > 0)
        {
            command.Bind("$q", MatchExpression(query.Terms));
        }

        if (query.WithFlags != MessageFlags.None)
        {
            command.Bind("$wf", (long)query.WithFlags);
        }

        if (query.WithoutFlags != MessageFlags.None)
        {
            command.Bind("$nf", (long)query.WithoutFlags);
        }

        var messages = new List<MessageItem>(Math.Min(limit, 1024));
        long? next = null;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (messages.Count == limit)
                {
                    next = offset + limit;
                    break;
                }

                messages.Add(MessageStore.ReadMessageItem(reader, reader.GetString(11)));
            }
        }

        lease.EndSnapshot();
        return StoreResult<SearchPage>.Success(new SearchPage(messages, next));
    }

    /// <summary>The conversation a message belongs to, oldest first, across the account's folders.</summary>
    /// <returns>The messages; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.MessageNotFound"/>.</returns>
    public Task<StoreResult<IReadOnlyList<MessageItem>>> ThreadAsync(long accountId, string folder, long id, CancellationToken ct = default)
        => InFolderAsync<IReadOnlyList<MessageItem>>(accountId, folder, ct, (lease, folderId, canonical) =>
        {
            if (lease.Command("SELECT content_id FROM messages WHERE folder_id = $f AND id = $i").Bind("$f", folderId).Bind("$i", id).ScalarInt64() is not { } contentId)
            {
                return Failures.MessageNotFound(id, canonical);
            }

            // A content the background indexer has not reached yet is a thread of its own (numbered as it will be).
            var threadId = lease.Command("SELECT thread_id FROM threads WHERE account_id = $a AND content_id = $c")
                .Bind("$a", accountId).Bind("$c", contentId).ScalarInt64();
            var command = threadId is null
                ? lease.Command(
                    $"SELECT {Columns} FROM messages m JOIN folders f ON f.id = m.folder_id JOIN contents c ON c.id = m.content_id "
                    + "WHERE f.account_id = $a AND m.content_id = $c ORDER BY m.received, m.modseq").Bind("$a", accountId).Bind("$c", contentId)
                : lease.Command(
                    $"SELECT {Columns} FROM threads t JOIN messages m ON m.content_id = t.content_id "
                    + "JOIN folders f ON f.id = m.folder_id AND f.account_id = t.account_id JOIN contents c ON c.id = m.content_id "
                    + "WHERE t.account_id = $a AND t.thread_id = $t ORDER BY m.received, m.modseq").Bind("$a", accountId).Bind("$t", threadId.Value);
            var messages = new List<MessageItem>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                messages.Add(MessageStore.ReadMessageItem(reader, reader.GetString(11)));
            }

            return StoreResult<IReadOnlyList<MessageItem>>.Success(messages);
        });

    /// <summary>A folder's conversations, the one with the newest message first: one entry per thread.</summary>
    /// <returns>The page; or <see cref="StoreError.FolderNotFound"/>.</returns>
    public Task<StoreResult<ThreadPage>> ListThreadsAsync(long accountId, string folder, int limit, long offset = 0, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return InFolderAsync(accountId, folder, ct, (lease, folderId, canonical) =>
        {
            var groups = new List<(long Thread, long Count, long Unseen, long LatestId)>();
            using (var reader = lease.Command(
                    "SELECT COALESCE(t.thread_id, -m.content_id) AS tid, COUNT(*), SUM((m.flags & 1) = 0), MAX(m.id) "
                    + "FROM messages m LEFT JOIN threads t ON t.account_id = $a AND t.content_id = m.content_id "
                    + "WHERE m.folder_id = $f GROUP BY tid ORDER BY MAX(m.id) DESC LIMIT $l OFFSET $o")
                .Bind("$a", accountId).Bind("$f", folderId).Bind("$l", (long)limit + 1).Bind("$o", offset).ExecuteReader())
            {
                while (reader.Read())
                {
                    groups.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
                }
            }

            long? next = null;
            if (groups.Count > limit)
            {
                groups.RemoveAt(limit);
                next = offset + limit;
            }

            var latest = lease.Command(
                $"SELECT {Columns} FROM messages m JOIN folders f ON f.id = m.folder_id JOIN contents c ON c.id = m.content_id WHERE m.folder_id = $f AND m.id = $i");
            var threads = new List<ThreadSummary>(groups.Count);
            foreach (var (thread, count, unseen, latestId) in groups)
            {
                using var reader = latest.Bind("$f", folderId).Bind("$i", latestId).ExecuteReader();
                reader.Read();
                threads.Add(new ThreadSummary(thread, count, unseen, MessageStore.ReadMessageItem(reader, canonical)));
            }

            return StoreResult<ThreadPage>.Success(new ThreadPage(canonical, threads, next));
        });
    }

    /// <summary>
    /// How many contents stored before the index (or before a crash, which left them unindexed) still wait
    /// to be indexed. Mail stored since the store opened is not counted: the store indexes it itself.
    /// </summary>
    public async Task<long> PendingCountAsync(CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        return lease.Command("SELECT COUNT(*) FROM search_pending WHERE content_id < $first").Bind("$first", _core.Backlog.FirstId).ScalarInt64() ?? 0;
    }

    /// <summary>The next <paramref name="max"/> of the contents <see cref="PendingCountAsync"/> counts, oldest first, with their bytes.</summary>
    public async Task<IReadOnlyList<PendingContent>> PendingAsync(int max, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        var list = new List<PendingContent>();
        using var reader = lease.Command(
                "SELECT p.content_id, c.data FROM search_pending p JOIN contents c ON c.id = p.content_id WHERE p.content_id < $first "
                + "ORDER BY p.content_id LIMIT $n")
            .Bind("$first", _core.Backlog.FirstId).Bind("$n", (long)max).ExecuteReader();
        while (reader.Read())
        {
            list.Add(new PendingContent(reader.GetInt64(0), (byte[])reader.GetValue(1)));
        }

        return list;
    }

    /// <summary>
    /// Indexes contents from before the index with the text the caller extracted, and threads every
    /// account's copies of them, in one transaction; each leaves the backlog in it (so a restart resumes
    /// after the last batch). A content deleted meanwhile is skipped.
    /// </summary>
    public Task IndexPendingAsync(IReadOnlyList<(long ContentId, ContentText Text)> items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        return _core.Writer.EnqueueAsync(
            context =>
            {
                foreach (var (contentId, text) in items)
                {
                    if (context.Command("DELETE FROM search_pending WHERE content_id = $c").Bind("$c", contentId).ExecuteNonQuery() == 0)
                    {
                        continue;
                    }

                    ContentSummary summary;
                    using (var reader = context.Command("SELECT from_addr, to_json, cc_json, subject, message_id FROM contents WHERE id = $c")
                        .Bind("$c", contentId).ExecuteReader())
                    {
                        if (!reader.Read())
                        {
                            continue;
                        }

                        summary = new ContentSummary(
                            reader.GetNullableString(0),
                            StringListJson.Read(reader.GetNullableString(1)),
                            StringListJson.Read(reader.GetNullableString(2)),
                            reader.GetNullableString(3),
                            null,
                            reader.GetNullableString(4)) { Text = text };
                    }

                    context.Search.Index(contentId, summary, text);
                    var copies = new List<(long Account, long Received)>();
                    using (var reader = context.Command(
                            "SELECT f.account_id, MIN(m.received) FROM messages m JOIN folders f ON f.id = m.folder_id WHERE m.content_id = $c GROUP BY f.account_id")
                        .Bind("$c", contentId).ExecuteReader())
                    {
                        while (reader.Read())
                        {
                            copies.Add((reader.GetInt64(0), reader.GetInt64(1)));
                        }
                    }

                    // Old mail numbers its new threads below zero, apart from the modification sequences new mail uses.
                    foreach (var (account, received) in copies)
                    {
                        context.Search.Thread(account, contentId, summary, received, -contentId);
                    }
                }

                return StoreResult<bool>.Success(true);
            },
            ct);
    }

    /// <summary>Runs <paramref name="read"/> in one snapshot with the id and canonical name of the account's folder; FolderNotFound without it.</summary>
    private async Task<StoreResult<T>> InFolderAsync<T>(long accountId, string folder, CancellationToken ct, Func<ReadLease, long, string, StoreResult<T>> read)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        lease.BeginSnapshot();
        try
        {
            return lease.Command(FolderSql).Bind("$a", accountId).Bind("$n", canonical).ScalarInt64() is { } folderId
                ? read(lease, folderId, canonical)
                : Failures.FolderNotFound(canonical);
        }
        finally
        {
            lease.EndSnapshot();
        }
    }

    /// <summary>The FTS5 MATCH text: every term a quoted phrase (quotes doubled), in its column; all required.</summary>
    internal static string MatchExpression(IReadOnlyList<SearchTerm> terms)
    {
        var sb = new StringBuilder();
        foreach (var term in terms)
        {
            if (sb.Length > 0)
            {
                sb.Append(" AND ");
            }

            sb.Append(term.Field switch
            {
                SearchField.From => "sender : ",
                SearchField.To => "recipients : ",
                SearchField.Subject => "subject : ",
                _ => string.Empty,
            });
            sb.Append('"').Append(term.Text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }

        return sb.ToString();
    }
}
