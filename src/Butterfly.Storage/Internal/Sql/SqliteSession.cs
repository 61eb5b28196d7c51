using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Internal;

/// <summary>
/// One open connection and the commands prepared on it. Commands are cached by their SQL text, so each
/// statement is compiled once per connection and only re-bound afterwards.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    private SqliteSession(SqliteConnection connection)
    {
        Connection = connection;
    }

    public SqliteConnection Connection { get; }

    /// <summary>Opens a connection with the pragmas every Butterfly connection needs.</summary>
    public static SqliteSession Open(StoreOptions options, bool readOnly)
    {
        SqliteEnvironment.EnsureInitialized();
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            var session = new SqliteSession(connection);
            var busyMs = (long)options.BusyTimeout.TotalMilliseconds;
            session.Execute($"PRAGMA busy_timeout = {busyMs}");
            session.Execute("PRAGMA synchronous = FULL");
            session.Execute("PRAGMA foreign_keys = OFF");
            if (readOnly)
            {
                session.Execute("PRAGMA query_only = 1");
            }
            else
            {
                // The default page cache (2 MB) on purpose: SQLite walks the whole cache hash table when it
                // truncates the cache, which it does often here; a 16 MB cache cost ~6% of the writer's CPU.

                // Each operation runs in a savepoint; keep its sub-journal in memory, not in a temp file.
                session.Execute("PRAGMA temp_store = MEMORY");

                // Background checkpoints do the bulk of the copying (see WalCheckpointer); this is the backstop.
                session.Execute("PRAGMA wal_autocheckpoint = 4000");
            }

            return session;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Gets the cached command for <paramref name="sql"/>, creating and preparing it on first use.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in SqlParameterNames.Find(sql))
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _commands.Add(sql, command);
        }

        return command;
    }

    /// <summary>Runs a statement without parameters.</summary>
    public void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }
}
