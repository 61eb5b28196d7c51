using System.CommandLine;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Storage;
using Butterfly.Storage.Postgres;
using Butterfly.Storage.Postgres.Import;
using Npgsql;

namespace Butterfly.Cli.Migrate;

/// <summary>
/// <c>butterfly migrate --from sqlite:PATH --to postgres:CONNSTRING [--json]</c>: moves a whole installation from its
/// SQLite database into an empty PostgreSQL database, in one transaction, then compares every row of both and
/// recomputes every content's SHA-256 from what PostgreSQL holds (<see cref="PostgresImport"/>; README, "Moving to
/// PostgreSQL"). Progress goes to stderr, the result to stdout.
/// </summary>
internal static class MigrateCommand
{
    private const string SqlitePrefix = "sqlite:";
    private const string PostgresPrefix = "postgres:";

    public static Command Build(CommandContext context, CommonOptions o)
    {
        var from = new Option<string>("--from")
        {
            Description = "the installation to move: sqlite:PATH, the data folder or its butterfly.db; no daemon may be running on it",
            HelpName = "sqlite:PATH",
            Required = true,
        };
        var to = new Option<string>("--to")
        {
            Description = "the PostgreSQL database to move it into: postgres:CONNSTRING (Npgsql's Host=...;Database=...;Username=...), empty: no accounts, no mail",
            HelpName = "postgres:CONNSTRING",
            Required = true,
        };
        var command = new Command(
            "migrate",
            "move a whole installation from SQLite into an empty PostgreSQL database, in one transaction, then verify it: every table's rows compared, every content's SHA-256 recomputed (progress on stderr)")
        {
            from, to, o.Json,
        };
        CliAction.Set(command, context, o, parse => RunAsync(context, parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string from, string to, bool json)
    {
        var database = SqliteDatabase(from);
        var target = new PostgresStoreOptions { ConnectionString = ConnectionString(to) };
        var described = "PostgreSQL " + PostgresMailStore.Describe(target.ConnectionString);
        var result = await PostgresImport.RunAsync(database, target, new MigrateProgress(context.Error, json), context.CancellationToken);
        if (result.Error is { } error and not ImportError.VerifyFailed)
        {
            throw new CliFailure(Code(error), result.Detail!);
        }

        await PrintAsync(context.Out, json, database, described, result);
        if (!result.Ok)
        {
            throw new CliFailure(Code(ImportError.VerifyFailed), result.Detail!);
        }

        return ExitCodes.Ok;
    }

    /// <summary>The database file <c>sqlite:PATH</c> names: PATH itself, or <c>butterfly.db</c> in it when it is a folder.</summary>
    internal static string SqliteDatabase(string from)
    {
        if (!from.StartsWith(SqlitePrefix, StringComparison.Ordinal) || from.Length == SqlitePrefix.Length)
        {
            throw new UsageException($"--from takes sqlite:PATH (the data folder or its database file), not '{from}'.");
        }

        var path = Path.GetFullPath(from[SqlitePrefix.Length..]);
        return Directory.Exists(path) ? Path.Combine(path, new StoreOptions { DataDirectory = path }.DatabaseFileName) : path;
    }

    /// <summary>The Npgsql connection string of <c>postgres:CONNSTRING</c>.</summary>
    internal static string ConnectionString(string to)
    {
        if (!to.StartsWith(PostgresPrefix, StringComparison.Ordinal) || to.Length == PostgresPrefix.Length)
        {
            throw new UsageException("--to takes postgres:CONNSTRING, an Npgsql connection string (postgres:Host=db;Database=butterfly;Username=butterfly).");
        }

        var text = to[PostgresPrefix.Length..];
        try
        {
            // Never echo it: it may hold a password.
            _ = new NpgsqlConnectionStringBuilder(text);
            return text;
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--to: not an Npgsql connection string ({e.Message})", e);
        }
    }

    private static string Code(ImportError error) => error switch
    {
        ImportError.SourceNotFound => "migrate.not-found",
        ImportError.SourceInUse => "data.in-use",
        ImportError.SourceSchema => "migrate.schema",
        ImportError.TargetUnavailable => "migrate.target-unavailable",
        ImportError.TargetNotEmpty => "migrate.target-not-empty",
        ImportError.CopyFailed => "migrate.copy-failed",
        _ => "migrate.verify-failed",
    };

    private static async Task PrintAsync(TextWriter output, bool json, string database, string target, ImportResult result)
    {
        var rows = result.Tables.Sum(t => t.TargetRows);
        var bytes = result.Tables.Sum(t => t.Bytes);
        if (json)
        {
            await JsonOutput.WriteAsync(output, w =>
            {
                w.WriteStartObject();
                w.WriteString("from", database);
                w.WriteString("to", target);
                w.WriteString("outcome", result.Ok ? "migrated" : "differs");
                w.WriteNumber("rows", rows);
                w.WriteNumber("bytes", bytes);
                w.WriteNumber("contentsVerified", result.ContentsVerified);
                w.WriteNumber("searchPending", result.SearchPending);
                w.WriteStartArray("tables");
                foreach (var table in result.Tables)
                {
                    w.WriteStartObject();
                    w.WriteString("table", table.Table);
                    w.WriteNumber("sourceRows", table.SourceRows);
                    w.WriteNumber("targetRows", table.TargetRows);
                    w.WriteNumber("bytes", table.Bytes);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("mismatches");
                foreach (var mismatch in result.Mismatches)
                {
                    w.WriteStartObject();
                    w.WriteString("table", mismatch.Table);
                    w.WriteString("key", mismatch.Key);
                    w.WriteString("problem", mismatch.Problem);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return;
        }

        string[] lines =
        [
            $"migrated {database} to {target}: {result.Tables.Count} tables, {rows} rows, {bytes} bytes",
            .. result.Tables.Select(t => $"  {t.Table}: {t.SourceRows} rows in SQLite, {t.TargetRows} in PostgreSQL"),
            .. result.Mismatches.Select(m => $"  differs: {m.Table} {m.Key}: {m.Problem}"),
            result.Ok
                ? $"verified: every row compared, {result.ContentsVerified} content hashes recomputed from PostgreSQL's bytes"
                : $"NOT verified: {result.Mismatches.Count} differences",
            $"search: {result.SearchPending} messages wait for the indexer of the first daemon started on the database",
            "next: set \"store\": { \"kind\": \"postgres\", \"connectionString\": \"...\" } in butterfly.json and start the daemons",
        ];
        foreach (var line in result.Ok ? lines : lines[..^1])
        {
            await output.WriteLineAsync(line);
        }
    }
}
