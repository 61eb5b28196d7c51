using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Internal;

/// <summary>
/// The writer's connection with the statements every write operation shares. Only the writer thread
/// touches it. Transactions are plain SQL (BEGIN/SAVEPOINT/COMMIT) so cached commands need no
/// transaction object.
/// </summary>
internal sealed class WriterContext
{
    private const string BumpModSeqSql = "UPDATE accounts SET modseq = modseq + 1 WHERE id = $a RETURNING modseq";
    private const string FindFolderSql = "SELECT id FROM folders WHERE account_id = $a AND name = $n";
    private const string InsertContentSql =
        "INSERT INTO contents (sha256, size, from_addr, to_json, cc_json, subject, date, message_id, data) "
        + "VALUES ($h, $s, $f, $t, $c, $j, $d, $m, $b) ON CONFLICT (sha256) DO NOTHING RETURNING id";
    private const string FindContentSql = "SELECT id FROM contents WHERE sha256 = $h";
    private const string NextIdSql = "UPDATE folders SET next_id = next_id + 1, modseq = $m WHERE id = $f RETURNING next_id - 1";
    private const string InsertMessageSql =
        "INSERT INTO messages (folder_id, id, content_id, flags, received, modseq) VALUES ($f, $i, $c, $g, $r, $m)";
    private const string DeleteMessageSql = "DELETE FROM messages WHERE folder_id = $f AND id = $i RETURNING content_id";
    private const string InsertExpungedSql = "INSERT OR REPLACE INTO expunged (folder_id, id, modseq) VALUES ($f, $i, $m)";
    private const string DeleteContentSql =
        "DELETE FROM contents WHERE id = $c AND NOT EXISTS (SELECT 1 FROM messages WHERE content_id = $c)";
    private const string TouchFolderSql = "UPDATE folders SET modseq = $m WHERE id = $f";

    public WriterContext(SqliteSession session)
    {
        Session = session;
    }

    public SqliteSession Session { get; }

    public SqliteCommand Command(string sql) => Session.Command(sql);

    public void Begin() => Session.Command("BEGIN IMMEDIATE").ExecuteNonQuery();

    public void Commit() => Session.Command("COMMIT").ExecuteNonQuery();

    public void Savepoint() => Session.Command("SAVEPOINT op").ExecuteNonQuery();

    public void ReleaseSavepoint() => Session.Command("RELEASE op").ExecuteNonQuery();

    public void RollbackToSavepoint() => Session.Command("ROLLBACK TO op").ExecuteNonQuery();

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
    public long? BumpModSeq(long accountId)
        => Command(BumpModSeqSql).Bind("$a", accountId).ScalarInt64();

    /// <summary>The id of a folder by canonical name, or null.</summary>
    public long? FindFolder(long accountId, string canonicalName)
        => Command(FindFolderSql).Bind("$a", accountId).Bind("$n", canonicalName).ScalarInt64();

    /// <summary>Stores content once per SHA-256; returns the id of the new or existing row.</summary>
    public long InsertContent(PreparedContent content)
    {
        var inserted = Command(InsertContentSql)
            .Bind("$h", content.Sha256)
            .Bind("$s", (long)content.Data.Length)
            .Bind("$f", content.From)
            .Bind("$t", content.ToJson)
            .Bind("$c", content.CcJson)
            .Bind("$j", content.Subject)
            .Bind("$d", content.Date)
            .Bind("$m", content.MessageId)
            .Bind("$b", content.Data)
            .ScalarInt64();
        Command(InsertContentSql).Parameters["$b"].Value = DBNull.Value; // do not keep the bytes alive
        return inserted ?? Command(FindContentSql).Bind("$h", content.Sha256).ScalarInt64()
            ?? throw new StoreException("Content vanished while being stored.");
    }

    /// <summary>Adds a message to a folder with the folder's next id; returns that id.</summary>
    public long AddMessage(long folderId, long contentId, MessageFlags flags, long receivedMs, long modSeq)
    {
        var id = Command(NextIdSql).Bind("$m", modSeq).Bind("$f", folderId).ScalarInt64()
            ?? throw new StoreException("Folder vanished while storing a message.");
        Command(InsertMessageSql)
            .Bind("$f", folderId)
            .Bind("$i", id)
            .Bind("$c", contentId)
            .Bind("$g", (long)flags)
            .Bind("$r", receivedMs)
            .Bind("$m", modSeq)
            .ExecuteNonQuery();
        return id;
    }

    /// <summary>Removes a message row and records the expunge; returns its content id, or null if absent.</summary>
    public long? RemoveMessage(long folderId, long id, long modSeq)
    {
        var contentId = Command(DeleteMessageSql).Bind("$f", folderId).Bind("$i", id).ScalarInt64();
        if (contentId is not null)
        {
            Command(InsertExpungedSql).Bind("$f", folderId).Bind("$i", id).Bind("$m", modSeq).ExecuteNonQuery();
        }

        return contentId;
    }

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
}
