using System.Globalization;
using Butterfly.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage;

/// <summary>
/// The messages in an account's folders: listing, fetching, "what changed since", storing, moving,
/// copying, deleting and flagging. Every call is scoped by account and is all-or-nothing.
/// </summary>
public sealed partial class MessageStore : IMessageStore
{
    internal const string MessageColumns =
        "m.id, m.flags, m.received, m.modseq, c.size, c.from_addr, c.to_json, c.cc_json, c.subject, c.date, c.message_id";

    private const string FolderSql = "SELECT id, messages, modseq FROM folders WHERE account_id = $a AND name = $n";

    private readonly StoreCore _core;

    internal MessageStore(StoreCore core) => _core = core;

    /// <summary>
    /// Lists a folder newest first (ids descending), at most <paramref name="limit"/> messages with ids
    /// below <paramref name="before"/> (all when null). <see cref="MessagePage.Next"/> is the
    /// <paramref name="before"/> of the next page.
    /// </summary>
    /// <returns>The page; or <see cref="StoreError.FolderNotFound"/>.</returns>
    public async Task<StoreResult<MessagePage>> ListAsync(long accountId, string folder, long? before, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        lease.BeginSnapshot();
        if (ReadFolder(lease, accountId, canonical) is not (var folderId, var total, _))
        {
            return Failures.FolderNotFound(canonical);
        }

        var messages = new List<MessageItem>(Math.Min(limit, 1024));
        long? next = null;
        using (var reader = lease.Command(
                $"SELECT {MessageColumns} FROM messages m JOIN contents c ON c.id = m.content_id "
                + "WHERE m.folder_id = $f AND m.id < $b ORDER BY m.id DESC LIMIT $l")
            .Bind("$f", folderId).Bind("$b", before ?? long.MaxValue).Bind("$l", (long)limit + 1).ExecuteReader())
        {
            while (reader.Read())
            {
                if (messages.Count == limit)
                {
                    next = messages[^1].Id;
                    break;
                }

                messages.Add(ReadMessageItem(reader, canonical));
            }
        }

        lease.EndSnapshot();
        return StoreResult<MessagePage>.Success(new MessagePage(canonical, total, messages, next));
    }

    /// <summary>Reads one message with its bytes.</summary>
    /// <returns>The message; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.MessageNotFound"/>.</returns>
    public async Task<StoreResult<StoredMessage>> FetchAsync(long accountId, string folder, long id, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        lease.BeginSnapshot();
        if (ReadFolder(lease, accountId, canonical) is not (var folderId, _, _))
        {
            return Failures.FolderNotFound(canonical);
        }

        using var reader = lease.Command(
                $"SELECT {MessageColumns}, c.data FROM messages m JOIN contents c ON c.id = m.content_id WHERE m.folder_id = $f AND m.id = $i")
            .Bind("$f", folderId).Bind("$i", id).ExecuteReader();
        return reader.Read()
            ? StoreResult<StoredMessage>.Success(new StoredMessage(ReadMessageItem(reader, canonical), reader.GetFieldValue<byte[]>(11)))
            : Failures.MessageNotFound(id, canonical);
    }

    /// <summary>On the writer: the id of a folder, or the failure that names it.</summary>
    private static StoreFailure? FindFolder(WriterContext context, long accountId, string canonical, out long folderId)
    {
        folderId = context.Mailboxes.FindFolder(accountId, canonical) ?? 0;
        return folderId == 0 ? Failures.FolderNotFound(canonical) : null;
    }

    /// <summary>On the writer: a folder and the rows of <paramref name="ids"/> in it, or the failure that names what is missing.</summary>
    private static StoreFailure? LoadMessages(
        WriterContext context, long accountId, string canonical, IReadOnlyList<long> ids, out long folderId, out List<MessageRow> messages)
    {
        messages = [];
        if (FindFolder(context, accountId, canonical, out folderId) is { } failure)
        {
            return failure;
        }

        var rows = context.Mailboxes.LoadMessages(folderId, ids, out var missing);
        if (rows is null)
        {
            return Failures.MessageNotFound(missing, canonical);
        }

        messages = rows;
        return null;
    }

    private static (long Id, long Messages, long ModSeq)? ReadFolder(ReadLease lease, long accountId, string canonical)
    {
        using var reader = lease.Command(FolderSql).Bind("$a", accountId).Bind("$n", canonical).ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)) : null;
    }

    internal static MessageItem ReadMessageItem(SqliteDataReader reader, string folder)
    {
        var dateText = reader.GetNullableString(9);
        DateTimeOffset? date = dateText is null
            ? null
            : DateTimeOffset.ParseExact(dateText, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);
        var summary = new ContentSummary(
            reader.GetNullableString(5),
            StringListJson.Read(reader.GetNullableString(6)),
            StringListJson.Read(reader.GetNullableString(7)),
            reader.GetNullableString(8),
            date,
            reader.GetNullableString(10));
        return new MessageItem(
            reader.GetInt64(0),
            folder,
            reader.GetInt64(4),
            (MessageFlags)reader.GetInt64(1),
            UnixTime.FromMs(reader.GetInt64(2)),
            reader.GetInt64(3),
            summary);
    }
}
