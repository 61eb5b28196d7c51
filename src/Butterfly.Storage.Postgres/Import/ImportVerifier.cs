using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace Butterfly.Storage.Postgres.Import;

/// <summary>
/// Reads every table back from both databases after the commit, both in key order, and compares them row by row:
/// counts, every copied column's value, and each content's SHA-256 recomputed from the bytes PostgreSQL holds
/// (which must equal the hash stored there, itself compared with SQLite's). PostgreSQL is read in one snapshot.
/// </summary>
internal static class ImportVerifier
{
    // Rows listed per table; the rest are counted.
    private const int MaxListed = 10;

    public static async Task<(List<ImportTableCount> Counts, List<ImportMismatch> Mismatches, long ContentsVerified)> VerifyAsync(
        SqliteSource sqlite, NpgsqlConnection postgres, IReadOnlyList<ImportTable> tables, Dictionary<string, SourceTotals> totals,
        Dictionary<string, long> bytes, ProgressThrottle progress, CancellationToken ct)
    {
        var counts = new List<ImportTableCount>();
        var mismatches = new List<ImportMismatch>();
        long contents = 0;
        await using var transaction = await postgres.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        foreach (var table in tables)
        {
            var outcome = await CompareAsync(sqlite, postgres, table, totals[table.Name], progress, ct).ConfigureAwait(false);
            counts.Add(new ImportTableCount(table.Name, outcome.SourceRows, outcome.TargetRows, bytes.GetValueOrDefault(table.Name)));
            mismatches.AddRange(outcome.Listed);
            if (outcome.Unlisted > 0)
            {
                mismatches.Add(new ImportMismatch(table.Name, string.Empty, $"{outcome.Unlisted.ToString(CultureInfo.InvariantCulture)} more rows differ"));
            }

            contents += outcome.Hashed;
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return (counts, mismatches, contents);
    }

    private static async Task<TableOutcome> CompareAsync(
        SqliteSource sqlite, NpgsqlConnection postgres, ImportTable table, SourceTotals totals, ProgressThrottle progress, CancellationToken ct)
    {
        var compared = table.Compared;
        var key = table.Key.Select(k => compared.ToList().IndexOf(k)).ToArray();
        var sha = table.HashedData is null ? -1 : compared.ToList().FindIndex(c => c.Name == "sha256");
        var outcome = new TableOutcome();
        long done = 0, hashedBytes = 0;
        await using var sourceCommand = sqlite.Command(table.SqliteSelect(compared));
        await using var source = await sourceCommand.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var targetColumns = table.HashedData is { } data ? compared.Append(data) : compared;
        await using var targetCommand = new NpgsqlCommand(table.PostgresSelect(targetColumns), postgres);
        await using var target = await targetCommand.ExecuteReaderAsync(ct).ConfigureAwait(false);

        var s = await NextAsync(source, compared.Count, ct).ConfigureAwait(false);
        var t = await NextAsync(target, compared.Count, ct).ConfigureAwait(false);
        while (s is not null || t is not null)
        {
            var order = s is null ? 1 : t is null ? -1 : ImportValues.CompareKeys(KeyOf(s, key), KeyOf(t, key));
            if (order < 0)
            {
                outcome.Add(table, KeyOf(s!, key), "missing in the target");
                outcome.SourceRows++;
                s = await NextAsync(source, compared.Count, ct).ConfigureAwait(false);
                continue;
            }

            if (order > 0)
            {
                outcome.Add(table, KeyOf(t!, key), "in the target but not in the source");
                outcome.TargetRows++;
                t = await NextAsync(target, compared.Count, ct).ConfigureAwait(false);
                continue;
            }

            outcome.SourceRows++;
            outcome.TargetRows++;
            var differs = Enumerable.Range(0, compared.Count).FirstOrDefault(i => !ImportValues.Same(s![i], t![i]), -1);
            if (differs >= 0)
            {
                outcome.Add(table, KeyOf(s!, key), $"{compared[differs].Name} is {ImportValues.Show(s![differs])} in SQLite, {ImportValues.Show(t![differs])} in PostgreSQL");
            }
            else if (sha >= 0)
            {
                var held = (byte[])target.GetValue(compared.Count);
                var computed = SHA256.HashData(held);
                hashedBytes += held.Length;
                if (ImportValues.Same(computed, t![sha]))
                {
                    outcome.Hashed++;
                }
                else
                {
                    outcome.Add(table, KeyOf(t, key), $"the SHA-256 of the bytes PostgreSQL holds is {Convert.ToHexStringLower(computed)}, not the stored {ImportValues.Show(t[sha])}");
                }
            }

            done++;
            progress.Report(new ImportProgress(table.Name, ImportPhase.Verifying, done, Math.Max(done, totals.Rows), hashedBytes, Math.Max(hashedBytes, table.HashedData is null ? 0 : totals.Bytes)));
            s = await NextAsync(source, compared.Count, ct).ConfigureAwait(false);
            t = await NextAsync(target, compared.Count, ct).ConfigureAwait(false);
        }

        if (done == 0)
        {
            progress.Report(new ImportProgress(table.Name, ImportPhase.Verifying, 0, totals.Rows, 0, 0));
        }

        return outcome;
    }

    private static async Task<object?[]?> NextAsync(DbDataReader reader, int count, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        var row = new object?[count];
        for (var i = 0; i < count; i++)
        {
            row[i] = ImportValues.Normal(reader.GetValue(i));
        }

        return row;
    }

    private static object?[] KeyOf(object?[] row, int[] key) => key.Select(i => row[i]).ToArray();

    private sealed class TableOutcome
    {
        public long SourceRows { get; set; }

        public long TargetRows { get; set; }

        public long Hashed { get; set; }

        public List<ImportMismatch> Listed { get; } = [];

        public long Unlisted { get; private set; }

        public void Add(ImportTable table, object?[] key, string problem)
        {
            if (Listed.Count < MaxListed)
            {
                Listed.Add(new ImportMismatch(table.Name, ImportValues.ShowKey(table.Key, key), problem));
            }
            else
            {
                Unlisted++;
            }
        }
    }
}
