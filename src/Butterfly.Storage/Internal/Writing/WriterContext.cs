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

    /// <summary>Message contents, stored once per SHA-256.</summary>
    public ContentRows Contents { get; }

    /// <summary>Folders and message rows, with their counters and modification sequences.</summary>
    public MailboxRows Mailboxes { get; }

    /// <summary>Queue rows.</summary>
    public QueueRows Queue { get; }

    /// <summary>The search index and threads.</summary>
    public SearchRows Search { get; }

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
