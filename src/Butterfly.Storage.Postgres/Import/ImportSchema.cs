using Npgsql;

namespace Butterfly.Storage.Postgres.Import;

/// <summary>
/// Which tables move and how: the copy order is fixed here (each table after those its foreign keys name); the
/// columns are read from both databases, so a column both migrations add moves without a change here. A SQLite
/// table this build does not list, or a SQLite column the PostgreSQL table lacks, is refused rather than dropped.
/// </summary>
internal static class ImportSchema
{
    /// <summary>Every table that moves, in copy order.</summary>
    public static IReadOnlyList<string> CopyOrder { get; } =
    [
        "accounts", "folders", "contents", "messages", "expunged", "folder_changes", "change_floors", "queue", "received",
        "submissions", "aliases", "lists", "list_members", "threads", "script_addresses", "scripts", "script_runs", "session_tokens",
    ];

    /// <summary>
    /// Tables that stay behind: SQLite's own, and the FTS5 index with its shadow tables and backlog. PostgreSQL keeps
    /// the index as a vector on each content row, built by its indexer from <c>search_pending</c>, which the
    /// migration fills with every summarized content.
    /// </summary>
    public static bool StaysBehind(string table) =>
        table.StartsWith("sqlite_", StringComparison.Ordinal) || table == "search" || table.StartsWith("search_", StringComparison.Ordinal);

    /// <summary>The tables to copy, in order, or the sentence saying why the two schemas do not fit.</summary>
    public static async Task<(IReadOnlyList<ImportTable> Tables, string? Problem)> ReadAsync(SqliteSource sqlite, NpgsqlConnection postgres, CancellationToken ct)
    {
        var present = new List<string>();
        await using (var command = sqlite.Command("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                present.Add(reader.GetString(0));
            }
        }

        var unknown = present.Where(t => !StaysBehind(t) && !CopyOrder.Contains(t)).ToList();
        if (unknown.Count > 0)
        {
            return ([], $"The SQLite database has table{(unknown.Count == 1 ? string.Empty : "s")} {string.Join(", ", unknown)}, which this build does not know how to move.");
        }

        var tables = new List<ImportTable>();
        foreach (var name in CopyOrder)
        {
            if (!present.Contains(name))
            {
                return ([], $"The SQLite database has no table {name}: it is not a Butterfly database of this build's schema.");
            }

            var target = await PostgresColumnsAsync(postgres, name, ct).ConfigureAwait(false);
            if (target.Count == 0)
            {
                return ([], $"The PostgreSQL database has no table {name} after its migrations.");
            }

            var columns = new List<ImportColumn>();
            var key = new SortedList<long, ImportColumn>();
            await using (var command = sqlite.Command($"PRAGMA table_info(\"{name}\")"))
            await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var column = reader.GetString(1);
                    if (!target.TryGetValue(column, out var type) || type.Type is not { } known)
                    {
                        return ([], $"The SQLite table {name} has a column {column} that the PostgreSQL table lacks (or holds in a type this build does not copy into).");
                    }

                    var imported = new ImportColumn(column, known);
                    columns.Add(imported);
                    if (reader.GetInt64(5) is > 0 and var position)
                    {
                        key.Add(position, imported);
                    }
                }
            }

            if (key.Count == 0)
            {
                return ([], $"The SQLite table {name} has no primary key to compare its rows by.");
            }

            var identity = target.Where(c => c.Value.Identity).Select(c => c.Key).SingleOrDefault();
            tables.Add(new ImportTable(name, columns, [.. key.Values], identity));
        }

        return (tables, null);
    }

    private static async Task<Dictionary<string, (ImportColumnType? Type, bool Identity)>> PostgresColumnsAsync(NpgsqlConnection postgres, string table, CancellationToken ct)
    {
        var columns = new Dictionary<string, (ImportColumnType?, bool)>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(
            "SELECT column_name, data_type, is_identity FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t",
            postgres);
        command.Parameters.AddWithValue("t", table);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var type = reader.GetString(1) switch
            {
                "bigint" => ImportColumnType.Bigint,
                "integer" => ImportColumnType.Integer,
                "boolean" => ImportColumnType.Boolean,
                "text" => ImportColumnType.Text,
                "bytea" => ImportColumnType.Bytea,
                _ => (ImportColumnType?)null, // tsvector, timestamps: columns SQLite has no counterpart of
            };
            columns[reader.GetString(0)] = (type, reader.GetString(2) == "YES");
        }

        return columns;
    }
}
