using System.Globalization;
using Npgsql;

namespace Butterfly.Storage.Postgres.Internal;

/// <summary>
/// Brings a database to <see cref="PostgresSchema.LatestVersion"/>: each missing migration and the row
/// that records it in <c>schema_version</c>, all in one transaction (PostgreSQL's DDL is transactional:
/// a failure keeps nothing). An advisory lock makes daemons that start together on one database apply
/// each migration once: the second waits, then finds the work done.
/// </summary>
internal static class PostgresMigrations
{
    // Any fixed number, the same in every build: pg_advisory_xact_lock's key for "the schema".
    private const long LockKey = 0x42_75_74_74_65_72_66_6C;

    /// <summary>Applies the missing migrations; returns the version the database had before.</summary>
    /// <exception cref="StoreException">The database holds a schema newer than this build.</exception>
    public static async Task<int> ApplyAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(@k); CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())",
            connection,
            transaction))
        {
            command.Parameters.AddWithValue("k", LockKey);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        int version;
        await using (var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version", connection, transaction))
        {
            version = Convert.ToInt32(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        if (version > PostgresSchema.LatestVersion)
        {
            throw new StoreException($"The database has schema version {version}, newer than this build knows ({PostgresSchema.LatestVersion}).");
        }

        for (var v = version; v < PostgresSchema.LatestVersion; v++)
        {
            await using var command = new NpgsqlCommand(PostgresSchema.Migrations[v], connection, transaction);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await using var record = new NpgsqlCommand("INSERT INTO schema_version (version) VALUES (@v)", connection, transaction);
            record.Parameters.AddWithValue("v", v + 1);
            await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return version;
    }
}
