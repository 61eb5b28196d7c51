using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Internal;

/// <summary>A read connection borrowed from the pool; dispose to give it back.</summary>
internal readonly struct ReadLease : IDisposable
{
    private readonly ReadConnectionPool _pool;

    public ReadLease(ReadConnectionPool pool, SqliteSession session)
    {
        _pool = pool;
        Session = session;
    }

    public SqliteSession Session { get; }

    public SqliteCommand Command(string sql) => Session.Command(sql);

    /// <summary>Starts a read transaction so several statements see one snapshot.</summary>
    public void BeginSnapshot() => Session.Command("BEGIN").ExecuteNonQuery();

    public void EndSnapshot() => Session.Command("COMMIT").ExecuteNonQuery();

    public void Dispose()
    {
        // A read that threw inside a snapshot must not hand an open transaction to the next user.
        if (SQLitePCL.raw.sqlite3_get_autocommit(Session.Connection.Handle) == 0)
        {
            Session.Execute("ROLLBACK");
        }

        _pool.Return(Session);
    }
}
