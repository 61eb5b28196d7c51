using Microsoft.Data.Sqlite;

namespace Butterfly.TestUtilities;

/// <summary>A database file looked at on a connection of the test's own (SQLite lets processes share one).</summary>
public static class SqliteFiles
{
    /// <summary>Runs a PASSIVE checkpoint; true when every frame of the WAL is in the database file.</summary>
    /// <param name="database">The database file.</param>
    public static bool WalCopied(string database) => Checkpoint(database, "PASSIVE");

    /// <summary>Runs a TRUNCATE checkpoint; true when the WAL was copied and truncated to nothing.</summary>
    /// <param name="database">The database file.</param>
    public static bool TruncateWal(string database) =>
        Checkpoint(database, "TRUNCATE") && new FileInfo(database + "-wal").Length == 0;

    /// <summary>The first line of <c>PRAGMA integrity_check</c>: <c>ok</c> for a sound database.</summary>
    /// <param name="database">The database file.</param>
    public static string? IntegrityCheck(string database)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return command.ExecuteScalar() as string;
    }

    private static bool Checkpoint(string database, string mode)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var reader = command.ExecuteReader();
        return reader.Read() && reader.GetInt64(0) == 0 && reader.GetInt64(1) == reader.GetInt64(2);
    }

    private static SqliteConnection Open(string database)
    {
        SQLitePCL.Batteries_V2.Init();
        var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        return connection;
    }
}
