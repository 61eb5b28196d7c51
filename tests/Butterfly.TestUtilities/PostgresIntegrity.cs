using Npgsql;

namespace Butterfly.TestUtilities;

/// <summary>
/// PostgreSQL's counterpart of SQLite's <c>PRAGMA integrity_check</c> for tests that kill a daemon:
/// the <c>amcheck</c> extension (in Debian's postgresql package) checks every B-tree index of the
/// database against its table (<c>bt_index_check</c> with <c>heapallindexed</c>).
/// </summary>
public static class PostgresIntegrity
{
    /// <summary>Checks every valid B-tree index of the database; returns how many were checked.</summary>
    /// <param name="connectionString">The database, as a superuser (creating the extension needs one).</param>
    /// <exception cref="PostgresException">An index does not match its table (amcheck's error names it).</exception>
    public static async Task<int> CheckAsync(string connectionString)
    {
        // Unpooled: the check runs once, and its connection should not outlive it.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS amcheck", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        const string check = """
            SELECT count(bt_index_check(index => c.oid, heapallindexed => true))
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid
            JOIN pg_am am ON am.oid = c.relam
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE am.amname = 'btree' AND i.indisvalid AND i.indisready
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND c.relpersistence <> 't'
            """;
        await using var command = new NpgsqlCommand(check, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
