using System.Globalization;
using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// The messages in an account's folders on PostgreSQL: listing and fetching here; storing, moving, deleting
/// and flagging in the other parts. Every write is one transaction that first bumps the account's
/// modification sequence, which locks the account's row: writes to one account follow one another, so
/// per-folder ids are taken in commit order and a client never sees an id appear below one it has seen.
/// </summary>
public sealed partial class PgMessageStore : IMessageStore
{
    internal const string MessageColumns =
        "m.id, m.flags, m.received, m.modseq, c.size, c.from_addr, c.to_json, c.cc_json, c.subject, c.date, c.message_id";

    private const string FolderSql = "SELECT id, messages FROM folders WHERE account_id = @a AND name = @n";

    private readonly PgDatabase _db;

    internal PgMessageStore(PgDatabase db) => _db = db;

    /// <inheritdoc/>
    public async Task<StoreResult<MessagePage>> ListAsync(long accountId, string folder, long? before, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        return await _db.ReadAsync<StoreResult<MessagePage>>(
            async read =>
            {
                if (await ReadFolderAsync(read, accountId, canonical).ConfigureAwait(false) is not [var folderId, var total])
                {
                    return Failures.FolderNotFound(canonical);
                }

                var messages = await read.ListAsync(
                    $"SELECT {MessageColumns} FROM messages m JOIN contents c ON c.id = m.content_id "
                    + "WHERE m.folder_id = @f AND m.id < @b ORDER BY m.id DESC LIMIT @l",
                    r => ReadMessageItem(r, canonical),
                    ("f", folderId), ("b", before ?? long.MaxValue), ("l", (long)limit + 1)).ConfigureAwait(false);
                long? next = null;
                if (messages.Count > limit)
                {
                    messages.RemoveAt(limit);
                    next = messages[^1].Id;
                }

                return StoreResult<MessagePage>.Success(new MessagePage(canonical, total, messages, next));
            },
            ct,
            snapshot: true).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoreResult<StoredMessage>> FetchAsync(long accountId, string folder, long id, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        return await _db.ReadAsync<StoreResult<StoredMessage>>(
            async read =>
            {
                if (await ReadFolderAsync(read, accountId, canonical).ConfigureAwait(false) is not [var folderId, _])
                {
                    return Failures.FolderNotFound(canonical);
                }

                var message = await read.FirstAsync(
                    $"SELECT {MessageColumns}, c.data FROM messages m JOIN contents c ON c.id = m.content_id WHERE m.folder_id = @f AND m.id = @i",
                    r => new StoredMessage(ReadMessageItem(r, canonical), r.GetFieldValue<byte[]>(11)),
                    ("f", folderId), ("i", id)).ConfigureAwait(false);
                return message is null ? Failures.MessageNotFound(id, canonical) : StoreResult<StoredMessage>.Success(message);
            },
            ct,
            snapshot: true).ConfigureAwait(false);
    }

    /// <summary>In a write: the id of a folder, or the failure that names it.</summary>
    private static async Task<(long FolderId, StoreFailure? Failure)> FindFolderAsync(PgWrite write, long accountId, string canonical)
    {
        var folderId = await write.FindFolderAsync(accountId, canonical).ConfigureAwait(false) ?? 0;
        return (folderId, folderId == 0 ? Failures.FolderNotFound(canonical) : null);
    }

    /// <summary>In a write: a folder and the rows of <paramref name="ids"/> in it, or the failure that names what is missing.</summary>
    private static async Task<(long FolderId, List<MessageRow> Messages, StoreFailure? Failure)> LoadMessagesAsync(
        PgWrite write, long accountId, string canonical, IReadOnlyList<long> ids)
    {
        var (folderId, failure) = await FindFolderAsync(write, accountId, canonical).ConfigureAwait(false);
        if (failure is not null)
        {
            return (0, [], failure);
        }

        var (rows, missing) = await write.LoadMessagesAsync(folderId, ids).ConfigureAwait(false);
        return rows is null ? (folderId, [], Failures.MessageNotFound(missing, canonical)) : (folderId, rows, null);
    }

    private static Task<long[]?> ReadFolderAsync(PgWrite read, long accountId, string canonical)
        => read.FirstAsync(FolderSql, r => (long[]?)[r.GetInt64(0), r.GetInt64(1)], ("a", accountId), ("n", canonical));

    internal static MessageItem ReadMessageItem(NpgsqlDataReader reader, string folder)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        var dateText = Text(9);
        DateTimeOffset? date = dateText is null ? null : DateTimeOffset.ParseExact(dateText, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);
        var summary = new ContentSummary(Text(5), StringListJson.Read(Text(6)), StringListJson.Read(Text(7)), Text(8), date, Text(10));
        return new MessageItem(
            reader.GetInt64(0), folder, reader.GetInt64(4), (MessageFlags)reader.GetInt64(1), UnixTime.FromMs(reader.GetInt64(2)), reader.GetInt64(3), summary);
    }
}
