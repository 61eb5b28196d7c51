using System.CommandLine;
using System.Globalization;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Cli.Users;

namespace Butterfly.Cli.Backup;

/// <summary>
/// <c>butterfly backup OUT</c>, <c>butterfly backup verify OUT</c> and <c>butterfly restore OUT --data DIR</c>:
/// an online, consistent copy of a data folder, its check, and its way back (README, "Backing up").
/// </summary>
internal static class BackupCommands
{
    private const string VerifyWord = "verify";

    public static Command[] Build(CommandContext context, CommonOptions o) => [Backup(context, o), Restore(context, o)];

    private static Command Backup(CommandContext context, CommonOptions o)
    {
        // "backup OUT" and "backup verify OUT" in one command: a sub-command would show the parent's OUT in its usage
        // ("backup <OUT> verify <OUT>"). A backup into a folder named verify is "backup ./verify".
        var words = new Argument<string[]>("OUT")
        {
            Description = "a new or empty folder for the backup; or \"verify OUT\": check the backup in OUT (every file's SHA-256 against the manifest, nothing unlisted, the database's PRAGMA integrity_check and schema version)",
            HelpName = "[verify] OUT",
            Arity = new ArgumentArity(1, 2),
        };
        words.Validators.Add(result =>
        {
            var tokens = result.Tokens.Select(t => t.Value).ToList();
            if (tokens.Count == 2 && tokens[0] != VerifyWord)
            {
                result.AddError($"Unrecognized command or argument '{tokens[1]}' (backup OUT, or backup verify OUT).");
            }
        });
        var command = new Command(
            "backup",
            "copy the data folder, consistently, while the daemon serves: the database through SQLite's backup API (taken by the daemon when one runs), every other file with its mode, and a manifest of SHA-256 hashes; \"backup verify OUT\" checks a backup")
        {
            words, o.Json,
        };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, async parse =>
        {
            var json = parse.GetValue(o.Json);
            var given = parse.GetValue(words)!;
            if (given is [VerifyWord, var backup])
            {
                return await VerifyAsync(context, json, backup);
            }

            var args = StoreAccess.Args(parse, o);
            var output = given[0];
            var manifest = await BackupTaker.TakeAsync(args, StoreAccess.LoadOptions(args), output, context.CancellationToken);
            await Summary(context, json, Path.GetFullPath(output), manifest, "backed up", []);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int> VerifyAsync(CommandContext context, bool json, string backup)
    {
        var folder = Path.GetFullPath(backup);
        if (!Directory.Exists(folder))
        {
            throw new CliFailure("backup.not-found", $"No backup folder {folder}.");
        }

        var (manifest, problems) = BackupVerifier.Verify(folder);
        await Summary(context, json, folder, manifest, problems.Count == 0 ? "verified" : "damaged", problems);
        return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static Command Restore(CommandContext context, CommonOptions o)
    {
        var backup = new Argument<string>("OUT") { Description = "the backup folder (made by butterfly backup)" };
        var data = new Option<string>("--data")
        {
            Description = "the data folder to restore into: new or empty (a folder with anything in it is refused)",
            HelpName = "DIR",
            Required = true,
        };
        var command = new Command("restore", "verify a backup, then copy it into a new or empty data folder (folders 0700, files 0600)")
        {
            backup, data, o.Json,
        };
        CliAction.Set(command, context, o, async parse =>
        {
            var folder = Path.GetFullPath(parse.GetValue(backup)!);
            if (!Directory.Exists(folder))
            {
                throw new CliFailure("backup.not-found", $"No backup folder {folder}.");
            }

            var target = Path.GetFullPath(parse.GetValue(data)!);
            var manifest = BackupRestorer.Restore(folder, target);
            await Summary(context, parse.GetValue(o.Json), target, manifest, "restored", []);
            if (!parse.GetValue(o.Json))
            {
                await context.Out.WriteLineAsync($"start the daemon on it: butterfly serve --data {target} (or set dataDirectory in butterfly.json)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Task Summary(CommandContext context, bool json, string folder, BackupManifest manifest, string outcome, IReadOnlyList<string> problems)
    {
        var bytes = manifest.Files.Sum(f => f.Size);
        if (json)
        {
            return JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("folder", folder);
                w.WriteString("outcome", outcome);
                w.WriteString("created", manifest.Created.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
                w.WriteString("source", manifest.Source);
                w.WriteNumber("schemaVersion", manifest.SchemaVersion);
                w.WriteNumber("files", manifest.Files.Count);
                w.WriteNumber("bytes", bytes);
                JsonOutput.WriteStrings(w, "problems", problems);
                w.WriteEndObject();
            });
        }

        var text = $"{outcome} {folder}: {manifest.Files.Count} file{(manifest.Files.Count == 1 ? string.Empty : "s")}, {bytes} bytes, schema {manifest.SchemaVersion}, taken {manifest.Created.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC from {manifest.Source}";
        return WriteLinesAsync(context.Out, [text, .. problems.Select(p => "  " + p)]);
    }

    private static async Task WriteLinesAsync(TextWriter output, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }
    }
}
