using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Internal;

/// <summary>
/// The writer's connection, its transaction statements and the row helpers every store's write
/// operations share. Only the writer thread touches it. Transactions are plain SQL
/// (BEGIN/SAVEPOINT/COMMIT) so cached commands need no transaction object.
/// </summary>
internal sealed class WriterContext : IDisposable
{
    private readonly RawStatement _begin;
    private readonly RawStatement _commit;
    private readonly RawStatement _savepoint;
    private readonly RawStatement _release;
    private readonly RawStatement _rollbackTo;
    private int _deferredAtSavepoint;

    public WriterContext(SqliteSession session)
    {
        Session = session;
        var db = session.Connection.Handle!;
        _begin = new RawStatement(db, "BEGIN IMMEDIATE");
        _commit = new RawStatement(db, "COMMIT");
        _savepoint = new RawStatement(db, "SAVEPOINT op");
        _release = new RawStatement(db, "RELEASE op");
        _rollbackTo = new RawStatement(db, "ROLLBACK TO op");
        Contents = new ContentRows(this);
        Mailboxes = new MailboxRows(this);
        Queue = new QueueRows(this);
        Search = new SearchRows(this);
    }

    public SqliteSession Session { get; }

    /// <summary>
    /// The accounts whose modification sequence this transaction moved, with the newest value: what the
    /// writer announces after the commit (<see cref="MailStore.OnCommitted"/>). A rolled-back savepoint may
    /// leave an entry behind; listeners read what really changed, so a spare one costs a read, nothing more.
    /// </summary>
    public Dictionary<long, long> ChangedAccounts { get; } = [];

    /// <summary>
    /// The contents this transaction stored for the search index to take after the commit (SearchBacklog);
    /// a savepoint rolled back takes its own entries back with it, so none names a content that is not there.
    /// </summary>
    public List<IndexEntry> Deferred { get; } = [];

    /// <summary>Message contents, stored once per SHA-256.</summary>
    public ContentRows Contents { get; }

    /// <summary>Folders and message rows, with their counters and modification sequences.</summary>
    public MailboxRows Mailboxes { get; }

    /// <summary>Queue rows.</summary>
    public QueueRows Queue { get; }

    /// <summary>The search index and threads.</summary>
    public SearchRows Search { get; }

    public SqliteCommand Command(string sql) => Session.Command(sql);

    public void Begin()
    {
        ChangedAccounts.Clear();
        Deferred.Clear();
        _begin.Execute();
    }

    public void Commit() => _commit.Execute();

    public void Savepoint()
    {
        _deferredAtSavepoint = Deferred.Count;
        _savepoint.Execute();
    }

    public void ReleaseSavepoint() => _release.Execute();

    public void RollbackToSavepoint()
    {
        Deferred.RemoveRange(_deferredAtSavepoint, Deferred.Count - _deferredAtSavepoint);
        _rollbackTo.Execute();
    }

    public void TryRollback()
    {
        Deferred.Clear();
        try
        {
            Session.Command("ROLLBACK").ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // Already rolled back by SQLite itself.
        }
    }

    /// <summary>
    /// Copies the whole WAL into the database and truncates it to nothing (waiting up to the busy
    /// timeout for readers), giving its space back. On a full disk, this is what lets a delete commit:
    /// the WAL cannot start again from its beginning while frames remain to copy.
    /// </summary>
    /// <returns>Whether the WAL was fully copied and truncated.</returns>
    public bool TryTruncateWal()
    {
        try
        {
            using var reader = Session.Command("PRAGMA wal_checkpoint(TRUNCATE)").ExecuteReader();
            return reader.Read() && reader.GetInt64(0) == 0;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>Finalizes the raw statements, then closes the connection.</summary>
    public void Dispose()
    {
        Contents.Dispose();
        Mailboxes.Dispose();
        Search.Dispose();
        _begin.Dispose();
        _commit.Dispose();
        _savepoint.Dispose();
        _release.Dispose();
        _rollbackTo.Dispose();
        Session.Dispose();
    }
}
