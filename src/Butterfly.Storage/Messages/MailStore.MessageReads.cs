using System.Globalization;
using Butterfly.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage;

/// <summary>Reading messages.</summary>
public sealed partial class MailStore
{
    private const string MessageColumns =
        "m.id, m.flags, m.received, m.modseq, c.size, c.from_addr, c.to_json, c.cc_json, c.subject, c.date, c.message_id";

    /// <summary>
    /// Lists a folder newest first (ids descending), at most <paramref name="limit"/> messages with ids
    /// below <paramref name="before"/> (all when null). <see cref="MessagePage.Next"/> is the
    /// <paramref name="before"/> of the next page.
    /// </summary>
    public async Task<StoreResult<MessagePage>> ListMessagesAsync(long accountId, string folder, long? before, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (!FolderNames.TryCanonicalize(folder, out var canonical))
        {
            return StoreResult<MessagePage>.Fail(StoreError.FolderNotFound);
        }

        using var lease = await _readers.RentAsync(ct).ConfigureAwait(false);
        lease.BeginSnapshot();
        long? folderId = null;
        long total = 0;
        using (var reader = lease.Command("SELECT id, messages FROM folders WHERE account_id = $a AND name = $n")
            .Bind("$a", accountId).Bind("$n", canonical).ExecuteReader())
        {
            if (reader.Read())
            {
                folderId = reader.GetInt64(0);
                total = reader.GetInt64(1);
            }
        }

        if (folderId is null)
        {
            lease.EndSnapshot();
            return StoreResult<MessagePage>.Fail(StoreError.FolderNotFound);
        }

        var messages = new List<MessageItem>(Math.Min(limit, 1024));
        long? next = null;
        using (var reader = lease.Command(
                $"SELECT {MessageColumns} FROM messages m JOIN contents c ON c.id = m.content_id "
                + "WHERE m.folder_id = $f AND m.id < $b ORDER BY m.id DESC LIMIT $l")
            .Bind("$f", folderId.Value).Bind("$b", before ?? long.MaxValue).Bind("$l", (long)limit + 1).ExecuteReader())
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
    public async Task<StoreResult<StoredMessage>> FetchMessageAsync(long accountId, string folder, long id, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical))
        {
            return StoreResult<StoredMessage>.Fail(StoreError.FolderNotFound);
        }

        using var lease = await _readers.RentAsync(ct).ConfigureAwait(false);
        lease.BeginSnapshot();
        var folderId = lease.Command("SELECT id FROM folders WHERE account_id = $a AND name = $n")
            .Bind("$a", accountId).Bind("$n", canonical).ScalarInt64();
        if (folderId is null)
        {
            lease.EndSnapshot();
            return StoreResult<StoredMessage>.Fail(StoreError.FolderNotFound);
        }

        StoredMessage? message = null;
        using (var reader = lease.Command(
                $"SELECT {MessageColumns}, c.data FROM messages m JOIN contents c ON c.id = m.content_id "
                + "WHERE m.folder_id = $f AND m.id = $i")
            .Bind("$f", folderId.Value).Bind("$i", id).ExecuteReader())
        {
            if (reader.Read())
            {
                message = new StoredMessage(ReadMessageItem(reader, canonical), reader.GetFieldValue<byte[]>(11));
            }
        }

        lease.EndSnapshot();
        return message is null
            ? StoreResult<StoredMessage>.Fail(StoreError.MessageNotFound)
            : StoreResult<StoredMessage>.Success(message);
    }

    /// <summary>
    /// Lists what changed in a folder after <paramref name="sinceModSeq"/>: messages added or re-flagged
    /// (with their current state) and ids expunged or moved away. Pass 0 for everything.
    /// </summary>
    public async Task<StoreResult<FolderChanges>> GetChangesAsync(long accountId, string folder, long sinceModSeq, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical))
        {
            return StoreResult<FolderChanges>.Fail(StoreError.FolderNotFound);
        }

        using var lease = await _readers.RentAsync(ct).ConfigureAwait(false);
        lease.BeginSnapshot();
        long folderId;
        long modSeq;
        using (var reader = lease.Command("SELECT id, modseq FROM folders WHERE account_id = $a AND name = $n")
            .Bind("$a", accountId).Bind("$n", canonical).ExecuteReader())
        {
            if (!reader.Read())
            {
                return StoreResult<FolderChanges>.Fail(StoreError.FolderNotFound);
            }

            folderId = reader.GetInt64(0);
            modSeq = reader.GetInt64(1);
        }

        var changed = new List<MessageItem>();
        using (var reader = lease.Command(
                $"SELECT {MessageColumns} FROM messages m JOIN contents c ON c.id = m.content_id "
                + "WHERE m.folder_id = $f AND m.modseq > $s ORDER BY m.id")
            .Bind("$f", folderId).Bind("$s", sinceModSeq).ExecuteReader())
        {
            while (reader.Read())
            {
                changed.Add(ReadMessageItem(reader, canonical));
            }
        }

        var expunged = new List<long>();
        using (var reader = lease.Command("SELECT id FROM expunged WHERE folder_id = $f AND modseq > $s ORDER BY id")
            .Bind("$f", folderId).Bind("$s", sinceModSeq).ExecuteReader())
        {
            while (reader.Read())
            {
                expunged.Add(reader.GetInt64(0));
            }
        }

        lease.EndSnapshot();
        return StoreResult<FolderChanges>.Success(new FolderChanges(canonical, modSeq, changed, expunged));
    }

    private static MessageItem ReadMessageItem(SqliteDataReader reader, string folder)
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
            FromUnixMs(reader.GetInt64(2)),
            reader.GetInt64(3),
            summary);
    }
}
