using Npgsql;

namespace Butterfly.Storage.Postgres.Import;

/// <summary>One table from SQLite into PostgreSQL through a binary COPY, in key order, on the import's transaction.</summary>
internal static class TableCopier
{
    /// <summary>Copies every row of <paramref name="table"/>; returns the bytes of binary columns copied.</summary>
    /// <exception cref="InvalidDataException">A value does not fit its PostgreSQL column (the message names the row).</exception>
    public static async Task<long> CopyAsync(
        SqliteSource sqlite, NpgsqlConnection postgres, ImportTable table, SourceTotals totals, ProgressThrottle progress, CancellationToken ct)
    {
        var columns = table.Columns;

        // COPY writes the identity columns' values as given (as INSERT's OVERRIDING SYSTEM VALUE would), even
        // GENERATED ALWAYS ones; the sequences are moved past them afterwards.
        var copy = $"COPY {table.Quoted} ({string.Join(", ", columns.Select(c => c.Quoted))}) FROM STDIN (FORMAT BINARY)";
        long rows = 0, bytes = 0;
        progress.Report(new ImportProgress(table.Name, ImportPhase.Copying, 0, totals.Rows, 0, totals.Bytes));
        await using (var command = sqlite.Command(table.SqliteSelect(columns)))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        await using (var writer = await postgres.BeginBinaryImportAsync(copy, ct).ConfigureAwait(false))
        {
            var values = new object[columns.Count];
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                reader.GetValues(values);
                await writer.StartRowAsync(ct).ConfigureAwait(false);
                for (var i = 0; i < values.Length; i++)
                {
                    try
                    {
                        await ImportValues.WriteAsync(writer, values[i], columns[i], ct).ConfigureAwait(false);
                    }
                    catch (InvalidDataException e)
                    {
                        var key = table.Key.Select(k => ImportValues.Normal(values[IndexOf(columns, k)])).ToArray();
                        throw new InvalidDataException($"In {table.Name}, the row {ImportValues.ShowKey(table.Key, key)}: {e.Message}.", e);
                    }

                    if (values[i] is byte[] blob)
                    {
                        bytes += blob.Length;
                    }
                }

                rows++;
                progress.Report(new ImportProgress(table.Name, ImportPhase.Copying, rows, Math.Max(rows, totals.Rows), bytes, Math.Max(bytes, totals.Bytes)));
            }

            await writer.CompleteAsync(ct).ConfigureAwait(false);
        }

        return bytes;
    }

    private static int IndexOf(IReadOnlyList<ImportColumn> columns, ImportColumn column)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == column)
            {
                return i;
            }
        }

        return -1;
    }
}
