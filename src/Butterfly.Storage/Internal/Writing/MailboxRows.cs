namespace Butterfly.Storage.Internal;

/// <summary>
/// Folder and message rows on the writer: the account's modification sequence, folder ids, and adding
/// and removing messages while keeping the folder's counters and the expunge record.
/// </summary>
internal sealed class MailboxRows : IDisposable
{
    private const string FindFolderSql = "SELECT id FROM folders WHERE account_id = $a AND name = $n";
    private const string LoadMessageSql = "SELECT content_id, flags, received, modseq FROM messages WHERE folder_id = $f AND id = $i";
    private const string DeleteMessageSql = "DELETE FROM messages WHERE folder_id = $f AND id = $i RETURNING content_id, flags";
    private const string UncountSql = "UPDATE folders SET messages = messages - 1, unseen = unseen - $u WHERE id = $f";
    private const string InsertExpungedSql =
        "INSERT OR REPLACE INTO expunged (folder_id, id, modseq, moved_folder_id, moved_id, removed) VALUES ($f, $i, $m, $tf, $ti, $r)";
    private const string TouchFolderSql = "UPDATE folders SET modseq = $m WHERE id = $f";
    private const string AdjustUnseenSql = "UPDATE folders SET unseen = unseen + $d WHERE id = $f";

    private readonly WriterContext _context;
    private readonly RawStatement _bumpModSeq;
    private readonly RawStatement _reserveId;
    private readonly RawStatement _reserveIdByName;
    private readonly RawStatement _insertMessage;

    public MailboxRows(WriterContext context)
    {
        _context = context;
        var db = context.Session.Connection.Handle!;
        _bumpModSeq = new RawStatement(db, "UPDATE accounts SET modseq = modseq + 1 WHERE id = $a RETURNING modseq");
        _reserveId = new RawStatement(
            db,
            "UPDATE folders SET next_id = next_id + 1, modseq = $m, messages = messages + 1, unseen = unseen + $u "
            + "WHERE id = $f RETURNING next_id - 1");
        _reserveIdByName = new RawStatement(
            db,
            "UPDATE folders SET next_id = next_id + 1, modseq = $m, messages = messages + 1, unseen = unseen + $u "
            + "WHERE account_id = $a AND name = $n RETURNING id, next_id - 1");
        _insertMessage = new RawStatement(
            db, "INSERT INTO messages (folder_id, id, content_id, flags, received, modseq, added_modseq) VALUES ($f, $i, $c, $g, $r, $m, $m)");
    }

    /// <summary>1 when a message with these flags counts as unseen, else 0.</summary>
    public static long UnseenCount(MessageFlags flags) => (flags & MessageFlags.Seen) == 0 ? 1 : 0;

    /// <summary>Bumps the account's modification sequence; null when the account does not exist.</summary>
    public long? BumpModSeq(long accountId)
    {
        var modSeq = _bumpModSeq.Int64("$a", accountId).ScalarInt64();
        if (modSeq is { } value)
        {
            _context.ChangedAccounts[accountId] = value;
        }

        return modSeq;
    }

    /// <summary>The id of a folder by canonical name, or null.</summary>
    public long? FindFolder(long accountId, string canonicalName)
        => _context.Command(FindFolderSql).Bind("$a", accountId).Bind("$n", canonicalName).ScalarInt64();

    /// <summary>
    /// Adds a message to the folder named <paramref name="canonicalName"/> with the folder's next id, in
    /// two statements (the hot path of a delivery). Null when the folder does not exist.
    /// </summary>
    public long? AddMessage(long accountId, string canonicalName, long contentId, MessageFlags flags, long receivedMs, long modSeq)
    {
        var reserved = _reserveIdByName.Int64("$m", modSeq).Int64("$a", accountId).Text("$n", canonicalName).Int64("$u", UnseenCount(flags))
            .PairInt64();
        if (reserved is not { } folderAndId)
        {
            return null;
        }

        InsertMessage(folderAndId.First, folderAndId.Second, contentId, flags, receivedMs, modSeq);
        return folderAndId.Second;
    }

    /// <summary>Adds a message to a folder with the folder's next id; returns that id.</summary>
    public long AddMessage(long folderId, long contentId, MessageFlags flags, long receivedMs, long modSeq)
    {
        var id = _reserveId.Int64("$m", modSeq).Int64("$f", folderId).Int64("$u", UnseenCount(flags)).ScalarInt64()
            ?? throw new StoreException("Folder vanished while storing a message.");
        InsertMessage(folderId, id, contentId, flags, receivedMs, modSeq);
        return id;
    }

    /// <summary>Loads the rows of the given ids, in the given order; the first missing id when any is absent.</summary>
    public List<MessageRow>? LoadMessages(long folderId, IReadOnlyList<long> ids, out long missing)
    {
        missing = 0;
        var rows = new List<MessageRow>(ids.Count);
        var select = _context.Command(LoadMessageSql);
        foreach (var id in ids)
        {
            using var reader = select.Bind("$f", folderId).Bind("$i", id).ExecuteReader();
            if (!reader.Read())
            {
                missing = id;
                return null;
            }

            rows.Add(new MessageRow(id, reader.GetInt64(0), (MessageFlags)reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return rows;
    }

    /// <summary>
    /// Removes a message row, keeps the folder's counters and records the expunge (with where the message
    /// went, for a move); returns its content id, or null if absent. The caller deletes the content when
    /// nothing else refers to it.
    /// </summary>
    public long? RemoveMessage(long folderId, long id, long modSeq, long? movedToFolder = null, long? movedToId = null)
    {
        long contentId;
        MessageFlags flags;
        using (var reader = _context.Command(DeleteMessageSql).Bind("$f", folderId).Bind("$i", id).ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            contentId = reader.GetInt64(0);
            flags = (MessageFlags)reader.GetInt64(1);
        }

        _context.Command(UncountSql).Bind("$u", UnseenCount(flags)).Bind("$f", folderId).ExecuteNonQuery();
        _context.Command(InsertExpungedSql).Bind("$f", folderId).Bind("$i", id).Bind("$m", modSeq)
            .Bind("$tf", movedToFolder).Bind("$ti", movedToId).Bind("$r", UnixTime.ToMs(DateTimeOffset.UtcNow)).ExecuteNonQuery();
        return contentId;
    }

    /// <summary>Adjusts a folder's unseen counter after flag changes.</summary>
    public void AdjustUnseen(long folderId, long delta)
    {
        if (delta != 0)
        {
            _context.Command(AdjustUnseenSql).Bind("$d", delta).Bind("$f", folderId).ExecuteNonQuery();
        }
    }

    /// <summary>Marks a folder as changed at <paramref name="modSeq"/> (for removals, which add no row).</summary>
    public void TouchFolder(long folderId, long modSeq)
        => _context.Command(TouchFolderSql).Bind("$m", modSeq).Bind("$f", folderId).ExecuteNonQuery();

    public void Dispose()
    {
        _bumpModSeq.Dispose();
        _reserveId.Dispose();
        _reserveIdByName.Dispose();
        _insertMessage.Dispose();
    }

    private void InsertMessage(long folderId, long id, long contentId, MessageFlags flags, long receivedMs, long modSeq)
        => _insertMessage.Int64("$f", folderId).Int64("$i", id).Int64("$c", contentId).Int64("$g", (long)flags).Int64("$r", receivedMs).Int64("$m", modSeq)
            .Execute();
}
