using System.Globalization;
using Npgsql;

namespace Butterfly.Storage.Postgres.Import;

/// <summary>
/// The copy, in one PostgreSQL transaction: every table locked, refused unless all are empty, user triggers off
/// while the rows go in (the quota trigger would count each message's size a second time on top of the usage
/// copied), every summarized content queued for the search indexer, each identity moved past the ids SQLite
/// handed out. Any failure rolls all of it back.
/// </summary>
internal static class ImportCopy
{
    /// <summary>Copies every table and commits; returns the bytes copied per table, or the refusal when the target holds data.</summary>
    public static async Task<(Dictionary<string, long> Bytes, long SearchPending, string? NotEmpty)> RunAsync(
        SqliteSource sqlite, NpgsqlConnection postgres, IReadOnlyList<ImportTable> tables, Dictionary<string, SourceTotals> totals,
        ProgressThrottle progress, Action<string> onTable, CancellationToken ct)
    {
        var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var transaction = await postgres.BeginTransactionAsync(ct).ConfigureAwait(false);

        // A daemon already started on the target waits until the commit, rather than writing in between.
        var locked = string.Join(", ", tables.Select(t => t.Quoted).Append("search_pending"));
        await ExecuteAsync(postgres, $"LOCK TABLE {locked} IN ACCESS EXCLUSIVE MODE", ct).ConfigureAwait(false);
        if (await HeldDataAsync(postgres, tables, ct).ConfigureAwait(false) is { } held)
        {
            return (bytes, 0, held);
        }

        foreach (var table in tables)
        {
            await ExecuteAsync(postgres, $"ALTER TABLE {table.Quoted} DISABLE TRIGGER USER", ct).ConfigureAwait(false);
        }

        foreach (var table in tables)
        {
            onTable(table.Name);
            bytes[table.Name] = await TableCopier.CopyAsync(sqlite, postgres, table, totals[table.Name], progress, ct).ConfigureAwait(false);
        }

        onTable("search_pending");
        foreach (var table in tables)
        {
            await ExecuteAsync(postgres, $"ALTER TABLE {table.Quoted} ENABLE TRIGGER USER", ct).ConfigureAwait(false);
        }

        // The daemon's search indexer builds the vectors of these (README, "Moving to PostgreSQL").
        var pending = await ExecuteAsync(postgres, "INSERT INTO search_pending (content_id) SELECT id FROM contents WHERE summarized", ct).ConfigureAwait(false);
        await MoveIdentitiesAsync(sqlite, postgres, tables, ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return (bytes, pending, null);
    }

    private static async Task<string?> HeldDataAsync(NpgsqlConnection postgres, IReadOnlyList<ImportTable> tables, CancellationToken ct)
    {
        var accounts = await ScalarAsync(postgres, "SELECT COUNT(*) FROM accounts", ct).ConfigureAwait(false);
        var holding = new List<string>();
        foreach (var table in tables.Select(t => t.Quoted).Append("search_pending"))
        {
            if (await ScalarAsync(postgres, $"SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT 1) AS any_row", ct).ConfigureAwait(false) > 0)
            {
                holding.Add(table.Trim('"'));
            }
        }

        if (holding.Count == 0)
        {
            return null;
        }

        var what = accounts > 0
            ? $"{accounts.ToString(CultureInfo.InvariantCulture)} account{(accounts == 1 ? string.Empty : "s")} (and rows in {string.Join(", ", holding)})"
            : $"rows in {string.Join(", ", holding)}";
        return $"The PostgreSQL database already holds {what}: migrate moves an installation into an empty database only, "
            + "so that nothing is overwritten or mixed in. Name a new database (CREATE DATABASE), or empty this one.";
    }

    // SQLite's AUTOINCREMENT never reuses an id, even a deleted row's: the identity continues after the highest
    // id either database knows, so an account or queue id the operator saw never comes back for something else.
    private static async Task MoveIdentitiesAsync(SqliteSource sqlite, NpgsqlConnection postgres, IReadOnlyList<ImportTable> tables, CancellationToken ct)
    {
        var handedOut = await sqlite.SequencesAsync(ct).ConfigureAwait(false);
        foreach (var table in tables.Where(t => t.Identity is not null))
        {
            var highest = await ScalarAsync(postgres, $"SELECT COALESCE(MAX(\"{table.Identity}\"), 0) FROM {table.Quoted}", ct).ConfigureAwait(false);
            highest = Math.Max(highest, handedOut.GetValueOrDefault(table.Name));
            await using var command = new NpgsqlCommand("SELECT setval(pg_get_serial_sequence(@t, @c), @v, @called)", postgres);
            command.Parameters.AddWithValue("t", table.Quoted);
            command.Parameters.AddWithValue("c", table.Identity!);
            command.Parameters.AddWithValue("v", Math.Max(highest, 1));
            command.Parameters.AddWithValue("called", highest > 0);
            await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
        }
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection postgres, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, postgres);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection postgres, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, postgres);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
