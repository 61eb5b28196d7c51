using System.Text;
using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// Full-text search, threads and the indexing backlog on PostgreSQL. A content's vector
/// (<c>contents.search</c>, <see cref="PgSearchVector"/>) and its threads are written in the transaction
/// that stores it, so a search sees mail as soon as its delivery is acknowledged, from any daemon; only
/// contents handed over without a vector (<c>butterfly migrate</c>) wait in <c>search_pending</c> for
/// <see cref="IndexPendingAsync"/>. Searching here; threads and the backlog in the other parts.
/// </summary>
public sealed partial class PgSearchStore : ISearchStore
{
    private const string Columns = $"{PgMessageStore.MessageColumns}, f.name";
    private const string FolderSql = "SELECT id FROM folders WHERE account_id = @a AND name = @n";

    private readonly PgDatabase _db;

    internal PgSearchStore(PgDatabase db) => _db = db;

    /// <inheritdoc/>
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

        var words = query.Terms.Count > 0;
        var sql = new StringBuilder($"SELECT {Columns} FROM messages m JOIN folders f ON f.id = m.folder_id JOIN contents c ON c.id = m.content_id ");
        sql.Append("WHERE f.account_id = @a ");
        sql.Append(folder is null ? "AND f.name NOT IN ('Trash', 'Junk') " : "AND m.folder_id = @f ");
        if (words)
        {
            sql.Append($"AND c.search @@ {PgSearchVector.QuerySql} ");
        }

        if (query.WithFlags != MessageFlags.None)
        {
            sql.Append("AND (m.flags & @wf) = @wf ");
        }

        if (query.WithoutFlags != MessageFlags.None)
        {
            sql.Append("AND (m.flags & @nf) = 0 ");
        }

        if (query.HasAttachment)
        {
            sql.Append("AND c.has_attachment ");
        }

        // Newest first by the arrival of the content (its id grows with it), as on SQLite; in one folder
        // without words, by the folder's own ids. The rest of the key only makes pages of ties stable.
        sql.Append("AND m.received >= @after AND m.received < @before ");
        sql.Append(words || folder is null ? "ORDER BY m.content_id DESC, m.folder_id, m.id " : "ORDER BY m.id DESC ");
        sql.Append("LIMIT @l OFFSET @o");

        return await _db.ReadAsync<StoreResult<SearchPage>>(
            async read =>
            {
                long folderId = 0;
                if (folder is not null && (folderId = await read.Int64Async(FolderSql, ("a", accountId), ("n", folder)).ConfigureAwait(false) ?? 0) == 0)
                {
                    return Failures.FolderNotFound(folder);
                }

                var messages = await read.ListAsync(
                    sql.ToString(),
                    ReadWithFolder,
                    ("a", accountId), ("f", folderId), ("cfg", _db.Options.TextSearchConfiguration), ("q", words ? PgSearchVector.Query(query.Terms) : string.Empty),
                    ("wf", (long)query.WithFlags), ("nf", (long)query.WithoutFlags),
                    ("after", query.After is { } after ? UnixTime.ToMs(after) : long.MinValue),
                    ("before", query.Before is { } before ? UnixTime.ToMs(before) : long.MaxValue),
                    ("l", (long)limit + 1), ("o", offset)).ConfigureAwait(false);
                long? next = null;
                if (messages.Count > limit)
                {
                    messages.RemoveAt(limit);
                    next = offset + limit;
                }

                return StoreResult<SearchPage>.Success(new SearchPage(messages, next));
            },
            ct,
            snapshot: true).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="read"/> in one snapshot with the id and canonical name of the account's folder; FolderNotFound without it.</summary>
    private async Task<StoreResult<T>> InFolderAsync<T>(long accountId, string folder, CancellationToken ct, Func<PgWrite, long, string, Task<StoreResult<T>>> read)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        return await _db.ReadAsync<StoreResult<T>>(
            async r =>
            {
                if (await r.Int64Async(FolderSql, ("a", accountId), ("n", canonical)).ConfigureAwait(false) is not { } folderId)
                {
                    return Failures.FolderNotFound(canonical);
                }

                return await read(r, folderId, canonical).ConfigureAwait(false);
            },
            ct,
            snapshot: true).ConfigureAwait(false);
    }

    private static MessageItem ReadWithFolder(NpgsqlDataReader reader) => PgMessageStore.ReadMessageItem(reader, reader.GetString(11));
}
