using Butterfly.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Backup;

/// <summary>
/// A consistent copy of a live database and the checks a copy must pass. The copy is taken with
/// SQLite's online backup API from a connection of its own: it reads one snapshot (WAL readers do not
/// block the writer, and the writer does not block them), so mail committed while it runs is either
/// wholly in the copy or wholly absent. The copy is left in rollback-journal mode, so it is one
/// self-contained file that can be hashed, checked read-only and moved.
/// </summary>
public static class DatabaseSnapshot
{
    /// <summary>The name a copy taken into the data folder starts with; a backup never copies such a file.</summary>
    public const string StagingPrefix = ".backup-";

    /// <summary>The schema version this build writes (<c>PRAGMA user_version</c>); a copy with a higher one is from a newer build.</summary>
    public static int LatestSchemaVersion => SchemaMigrations.LatestVersion;

    /// <summary>Copies the database at <paramref name="databasePath"/> into a new file <paramref name="destination"/> (mode 0600).</summary>
    /// <param name="databasePath">The live database (its -wal and -shm beside it).</param>
    /// <param name="destination">A file that must not exist yet.</param>
    /// <returns>The schema version of the copy.</returns>
    /// <exception cref="IOException">The destination exists.</exception>
    /// <exception cref="SqliteException">SQLite could not read the source or write the copy.</exception>
    public static int Take(string databasePath, string destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        SqliteEnvironment.EnsureInitialized();

        // Created 0600 before SQLite opens it, as the store creates its own database.
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = DataFolderAccess.PrivateFile;
        }

        new FileStream(destination, create).Dispose();
        try
        {
            using var source = Open(databasePath, SqliteOpenMode.ReadWrite);
            using var target = Open(destination, SqliteOpenMode.ReadWrite);

            // One step of all pages: the whole copy reads a single snapshot of the source.
            source.BackupDatabase(target);
            Execute(target, "PRAGMA journal_mode=DELETE");
            return (int)(long)Scalar(target, "PRAGMA user_version")!;
        }
        catch
        {
            File.Delete(destination);
            throw;
        }
    }

    /// <summary>Checks a copy: SQLite's <c>PRAGMA integrity_check</c> and its schema version, read-only.</summary>
    /// <param name="path">The copy.</param>
    public static SnapshotCheck Check(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SqliteEnvironment.EnsureInitialized();
        try
        {
            using var connection = Open(path, SqliteOpenMode.ReadOnly);
            var problems = new List<string>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA integrity_check";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var line = reader.GetString(0);
                    if (line != "ok")
                    {
                        problems.Add(line);
                    }
                }
            }

            var version = (int)(long)Scalar(connection, "PRAGMA user_version")!;
            if (version < 1 || version > LatestSchemaVersion)
            {
                problems.Add($"schema version {version} is not one this build knows (1 to {LatestSchemaVersion})");
            }

            return new SnapshotCheck(version, problems);
        }
        catch (SqliteException ex)
        {
            return new SnapshotCheck(0, [$"SQLite cannot read it: {ex.Message}"]);
        }
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        // No pooling: a pooled connection would keep the file open after the copy is handed over.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout=30000");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
