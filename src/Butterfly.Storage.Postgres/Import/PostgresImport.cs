using System.Globalization;
using Butterfly.Storage.Internal;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Butterfly.Storage.Postgres.Import;

/// <summary>
/// Moves a whole installation from its SQLite database into an empty PostgreSQL database (<c>butterfly migrate</c>,
/// README "Moving to PostgreSQL"): every table in one transaction through binary COPY, then every row read back
/// from both and compared, each content's SHA-256 recomputed from the bytes PostgreSQL holds.
/// </summary>
public static class PostgresImport
{
    /// <summary>
    /// Copies the SQLite database at <paramref name="sqlitePath"/> into the PostgreSQL database <paramref name="target"/>
    /// names, then verifies the copy. Refuses (writing nothing) while another process holds the SQLite database's
    /// data folder (a running daemon), when that database is not at the schema version this build knows, and when the
    /// PostgreSQL database already holds data. The copy is one transaction: when it fails, the target keeps nothing
    /// of it. Search vectors are not copied: every summarized content waits in <c>search_pending</c> for the indexer
    /// of the daemon that next runs on the target.
    /// </summary>
    /// <param name="sqlitePath">The SQLite database file (<c>butterfly.db</c> in the data folder).</param>
    /// <param name="target">The PostgreSQL database; its migrations are applied first, as a daemon would.</param>
    /// <param name="progress">Told each table's rows (and content bytes) copied and verified, at most twice a second per table.</param>
    /// <param name="ct">Cancels the migration; before the commit, nothing is kept.</param>
    /// <returns>Success with the counts verified, or which refusal or failure and a sentence that names it.</returns>
    public static async Task<ImportResult> RunAsync(
        string sqlitePath, PostgresStoreOptions target, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sqlitePath);
        ArgumentNullException.ThrowIfNull(target);
        var path = Path.GetFullPath(sqlitePath);
        if (!File.Exists(path))
        {
            return ImportResult.Failure(ImportError.SourceNotFound, $"No SQLite database at {path}.");
        }

        // The daemon holds its data folder for as long as it runs; holding it here keeps one from starting mid-copy.
        var folder = Path.GetDirectoryName(path)!;
        if (!DataFolderLock.TryAcquire(folder, out var held))
        {
            return ImportResult.Failure(
                ImportError.SourceInUse,
                $"The data folder {folder} is in use by another process, which holds {DataFolderLock.PathIn(folder)}: stop the daemon before moving its store.");
        }

        using (held)
        {
            SqliteSource sqlite;
            try
            {
                sqlite = await SqliteSource.OpenAsync(path, ct).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                return Unreadable(path, e);
            }

            await using (sqlite)
            {
                try
                {
                    return await MoveAsync(path, sqlite, target, new ProgressThrottle(progress), ct).ConfigureAwait(false);
                }
                catch (SqliteException e)
                {
                    // Before the copy (reading the schema or counting): the copy and the verification say their own.
                    return Unreadable(path, e);
                }
            }
        }
    }

    private static async Task<ImportResult> MoveAsync(string path, SqliteSource sqlite, PostgresStoreOptions target, ProgressThrottle progress, CancellationToken ct)
    {
        var version = await sqlite.SchemaVersionAsync(ct).ConfigureAwait(false);
        if (version != SchemaMigrations.LatestVersion)
        {
            var latest = SchemaMigrations.LatestVersion.ToString(CultureInfo.InvariantCulture);
            return ImportResult.Failure(ImportError.SourceSchema, version < SchemaMigrations.LatestVersion
                ? $"{path} has schema version {version}; this build moves version {latest} only. Start this build's daemon on it once (it upgrades the schema), stop it, then migrate."
                : $"{path} has schema version {version}, newer than this build knows ({latest}): migrate with the build that wrote it.");
        }

        if (await OpenTargetAsync(target, ct).ConfigureAwait(false) is { } unavailable)
        {
            return unavailable;
        }

        // No command timeout: one COPY of a large table runs for as long as it needs. The server's error details
        // (which key a foreign key missed) go into the failure's sentence.
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString) { CommandTimeout = 0, IncludeErrorDetail = true };
        builder.ApplicationName ??= "butterfly migrate";
        await using var source = NpgsqlDataSource.Create(builder.ConnectionString);
        await using var postgres = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        var (tables, problem) = await ImportSchema.ReadAsync(sqlite, postgres, ct).ConfigureAwait(false);
        if (problem is not null)
        {
            return ImportResult.Failure(ImportError.SourceSchema, problem);
        }

        var totals = new Dictionary<string, SourceTotals>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            totals[table.Name] = await sqlite.TotalsAsync(table, ct).ConfigureAwait(false);
        }

        var current = string.Empty;
        Dictionary<string, long> bytes;
        long pending;
        try
        {
            (bytes, pending, var notEmpty) = await ImportCopy.RunAsync(sqlite, postgres, tables, totals, progress, t => current = t, ct).ConfigureAwait(false);
            if (notEmpty is not null)
            {
                return ImportResult.Failure(ImportError.TargetNotEmpty, notEmpty);
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidDataException or SqliteException)
        {
            var where = current.Length == 0 ? "before the first table" : "in table " + current;
            return ImportResult.Failure(ImportError.CopyFailed, $"The copy failed {where}: {Describe(e)} Nothing was committed: the PostgreSQL database holds none of it.");
        }

        List<ImportTableCount> counts;
        List<ImportMismatch> mismatches;
        long contents;
        try
        {
            await using var verifying = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
            (counts, mismatches, contents) = await ImportVerifier.VerifyAsync(sqlite, verifying, tables, totals, bytes, progress, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or SqliteException)
        {
            return ImportResult.Failure(
                ImportError.VerifyFailed,
                $"The copy committed, but reading it back to verify it failed: {Describe(e)} Run migrate again into an emptied database, or verify by other means before using it.");
        }

        var expected = await SummarizedAsync(sqlite, ct).ConfigureAwait(false);
        if (pending != expected)
        {
            mismatches.Add(new ImportMismatch("search_pending", string.Empty, $"{pending} contents queued for the search indexer, {expected} summarized in SQLite"));
        }

        return new ImportResult
        {
            Error = mismatches.Count == 0 ? null : ImportError.VerifyFailed,
            Detail = mismatches.Count == 0
                ? null
                : $"The copy committed, but reading it back found {mismatches.Count} difference{(mismatches.Count == 1 ? string.Empty : "s")} (first: {mismatches[0].Table} {mismatches[0].Key}: {mismatches[0].Problem}). Do not use the PostgreSQL database; empty it and migrate again.",
            Tables = counts,
            Mismatches = mismatches,
            ContentsVerified = contents,
            SearchPending = pending,
        };
    }

    // The target's migrations, applied the way a daemon's start applies them (and its checks: fsync, synchronous_commit).
    private static async Task<ImportResult?> OpenTargetAsync(PostgresStoreOptions target, CancellationToken ct)
    {
        try
        {
            var store = await PostgresMailStore.OpenAsync(target, ct).ConfigureAwait(false);
            await store.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or StoreException or ArgumentException)
        {
            return ImportResult.Failure(ImportError.TargetUnavailable, $"The PostgreSQL database cannot be opened as a store: {Describe(e)}");
        }
    }

    private static async Task<long> SummarizedAsync(SqliteSource sqlite, CancellationToken ct)
    {
        await using var command = sqlite.Command("SELECT COUNT(*) FROM contents WHERE summarized = 1");
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static ImportResult Unreadable(string path, SqliteException e) =>
        ImportResult.Failure(ImportError.SourceSchema, $"{path} cannot be read as a SQLite database: {e.Message}");

    private static string Describe(Exception e) => e switch
    {
        PostgresException p => p.MessageText.TrimEnd('.') + "." + (p.Detail is { Length: > 0 } detail ? " " + detail.TrimEnd('.') + "." : string.Empty),
        _ => e.Message.TrimEnd('.') + ".",
    };
}
