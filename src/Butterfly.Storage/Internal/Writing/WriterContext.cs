using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Internal;

/// <summary>
/// The writer's connection with the statements every write operation shares. Only the writer thread
/// touches it. Transactions are plain SQL (BEGIN/SAVEPOINT/COMMIT) so cached commands need no
/// transaction object.
/// </summary>
internal sealed class WriterContext : IDisposable
{
    private const string FindFolderSql = "SELECT id FROM folders WHERE account_id = $a AND name = $n";
    private const string DeleteMessageSql = "DELETE FROM messages WHERE folder_id = $f AND id = $i RETURNING content_id, flags";
    private const string UncountSql = "UPDATE folders SET messages = messages - 1, unseen = unseen - $u WHERE id = $f";
    private const string InsertExpungedSql = "INSERT OR REPLACE INTO expunged (folder_id, id, modseq) VALUES ($f, $i, $m)";
    private const string DeleteContentSql =
        "DELETE FROM contents WHERE id = $c AND NOT EXISTS (SELECT 1 FROM messages WHERE content_id = $c)";
    private const string TouchFolderSql = "UPDATE folders SET modseq = $m WHERE id = $f";

    private const string ReserveIdByNameSql =
        "UPDATE folders SET next_id = next_id + 1, modseq = ?1, messages = messages + 1, unseen = unseen + ?4 "
        + "WHERE account_id = ?2 AND name = ?3 RETURNING id, next_id - 1";

    private readonly RawStatement _bumpModSeq;
    private readonly RawStatement _insertContent;
    private readonly RawStatement _findContent;
    private readonly RawStatement _nextId;
    private readonly RawStatement _reserveIdByName;
    private readonly RawStatement _insertMessage;
    private readonly RawStatement _begin;
    private readonly RawStatement _commit;
    private readonly RawStatement _savepoint;
    private readonly RawStatement _release;
    private readonly RawStatement _rollbackTo;

    public WriterContext(SqliteSession session)
    {
        Session = session;
        var db = session.Connection.Handle!;
        _bumpModSeq = new RawStatement(db, "UPDATE accounts SET modseq = modseq + 1 WHERE id = ?1 RETURNING modseq");
        _insertContent = new RawStatement(
            db,
            "INSERT INTO contents (sha256, size, from_addr, to_json, cc_json, subject, date, message_id, data) "
            + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (sha256) DO NOTHING RETURNING id");
        _findContent = new RawStatement(db, "SELECT id FROM contents WHERE sha256 = ?1");
        _nextId = new RawStatement(
            db,
            "UPDATE folders SET next_id = next_id + 1, modseq = ?1, messages = messages + 1, unseen = unseen + ?3 "
            + "WHERE id = ?2 RETURNING next_id - 1");
        _reserveIdByName = new RawStatement(db, ReserveIdByNameSql);
        _insertMessage = new RawStatement(
            db, "INSERT INTO messages (folder_id, id, content_id, flags, received, modseq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        _begin = new RawStatement(db, "BEGIN IMMEDIATE");
        _commit = new RawStatement(db, "COMMIT");
        _savepoint = new RawStatement(db, "SAVEPOINT op");
        _release = new RawStatement(db, "RELEASE op");
        _rollbackTo = new RawStatement(db, "ROLLBACK TO op");
    }

    public SqliteSession Session { get; }

    public SqliteCommand Command(string sql) => Session.Command(sql);

    public void Begin() => _begin.Execute();

    public void Commit() => _commit.Execute();

    public void Savepoint() => _savepoint.Execute();

    public void ReleaseSavepoint() => _release.Execute();

    public void RollbackToSavepoint() => _rollbackTo.Execute();

    public void TryRollback()
    {
        try
        {
            Session.Command("ROLLBACK").ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // Already rolled back by SQLite itself.
        }
    }

    /// <summary>Bumps the account's modification sequence; null when the account does not exist.</summary>
    public long? BumpModSeq(long accountId) => _bumpModSeq.Int64(1, accountId).ScalarInt64();

    /// <summary>The id of a folder by canonical name, or null.</summary>
    public long? FindFolder(long accountId, string canonicalName)
        => Command(FindFolderSql).Bind("$a", accountId).Bind("$n", canonicalName).ScalarInt64();

    /// <summary>Stores content once per SHA-256; returns the id of the new or existing row.</summary>
    public long InsertContent(PreparedContent content)
    {
        var inserted = _insertContent
            .Blob(1, content.Sha256)
            .Int64(2, content.Data.Length)
            .Text(3, content.From)
            .Text(4, content.ToJson)
            .Text(5, content.CcJson)
            .Text(6, content.Subject)
            .Text(7, content.Date)
            .Text(8, content.MessageId)
            .Blob(9, content.Data.Span)
            .ScalarInt64();
        return inserted ?? _findContent.Blob(1, content.Sha256).ScalarInt64()
            ?? throw new StoreException("Content vanished while being stored.");
    }

    /// <summary>
    /// Adds a message to the folder named <paramref name="canonicalName"/> with the folder's next id, in
    /// two statements (the hot path of a delivery). Null when the folder does not exist.
    /// </summary>
    public long? AddMessage(long accountId, string canonicalName, long contentId, MessageFlags flags, long receivedMs, long modSeq)
    {
        var reserved = _reserveIdByName.Int64(1, modSeq).Int64(2, accountId).Text(3, canonicalName).Int64(4, UnseenCount(flags))
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
        var id = _nextId.Int64(1, modSeq).Int64(2, folderId).Int64(3, UnseenCount(flags)).ScalarInt64()
            ?? throw new StoreException("Folder vanished while storing a message.");
        InsertMessage(folderId, id, contentId, flags, receivedMs, modSeq);
        return id;
    }

    /// <summary>
    /// Removes a message row, keeps the folder's counters and records the expunge; returns its content id,
    /// or null if absent.
    /// </summary>
    public long? RemoveMessage(long folderId, long id, long modSeq)
    {
        long contentId;
        MessageFlags flags;
        using (var reader = Command(DeleteMessageSql).Bind("$f", folderId).Bind("$i", id).ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            contentId = reader.GetInt64(0);
            flags = (MessageFlags)reader.GetInt64(1);
        }

        Command(UncountSql).Bind("$u", UnseenCount(flags)).Bind("$f", folderId).ExecuteNonQuery();
        Command(InsertExpungedSql).Bind("$f", folderId).Bind("$i", id).Bind("$m", modSeq).ExecuteNonQuery();
        return contentId;
    }

    /// <summary>Adjusts a folder's unseen counter after flag changes.</summary>
    public void AdjustUnseen(long folderId, long delta)
    {
        if (delta != 0)
        {
            Command("UPDATE folders SET unseen = unseen + $d WHERE id = $f").Bind("$d", delta).Bind("$f", folderId).ExecuteNonQuery();
        }
    }

    /// <summary>1 when a message with these flags counts as unseen, else 0.</summary>
    public static long UnseenCount(MessageFlags flags) => (flags & MessageFlags.Seen) == 0 ? 1 : 0;

    /// <summary>Deletes content rows no message references any more.</summary>
    public void DeleteUnreferencedContents(IEnumerable<long> contentIds)
    {
        var command = Command(DeleteContentSql);
        foreach (var contentId in contentIds)
        {
            command.Bind("$c", contentId).ExecuteNonQuery();
        }
    }

    public void TouchFolder(long folderId, long modSeq)
        => Command(TouchFolderSql).Bind("$m", modSeq).Bind("$f", folderId).ExecuteNonQuery();

    /// <summary>Finalizes the raw statements, then closes the connection.</summary>
    public void Dispose()
    {
        _bumpModSeq.Dispose();
        _insertContent.Dispose();
        _findContent.Dispose();
        _nextId.Dispose();
        _reserveIdByName.Dispose();
        _insertMessage.Dispose();
        _begin.Dispose();
        _commit.Dispose();
        _savepoint.Dispose();
        _release.Dispose();
        _rollbackTo.Dispose();
        Session.Dispose();
    }

    private void InsertMessage(long folderId, long id, long contentId, MessageFlags flags, long receivedMs, long modSeq)
        => _insertMessage.Int64(1, folderId).Int64(2, id).Int64(3, contentId).Int64(4, (long)flags).Int64(5, receivedMs).Int64(6, modSeq)
            .Execute();
}
