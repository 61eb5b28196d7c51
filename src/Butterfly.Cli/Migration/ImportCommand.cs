using System.CommandLine;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Mail;
using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Migration;

/// <summary><c>butterfly import ADDRESS PATH</c>: an mbox file, a folder of mbox files or a Maildir tree, through the running daemon.</summary>
internal static class ImportCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var address = new Argument<string>("ADDRESS") { Description = "the account to import into (it logs in, with its password)", Validators = { Values.NotBlank } };
        var path = new Argument<string>("PATH") { Description = "an mbox file, a folder of *.mbox files, or a Maildir (folders kept)", Validators = { Values.NotBlank } };
        var folder = new Option<string?>("--folder")
        {
            Description = "the folder for an mbox file (default Inbox), or the parent of the folders of a tree (default: the top)",
            HelpName = "NAME",
        };
        var format = new Option<string>("--mbox")
        {
            Description = "how the mbox quotes \"From \" lines: mboxrd (every >*From line quoted; exact) or mboxo (only From lines)",
            HelpName = "mboxrd|mboxo",
            DefaultValueFactory = _ => "mboxrd",
        };
        format.AcceptOnlyFromAmong("mboxrd", "mboxo");
        var command = new Command(
            "import",
            "import mail through the running daemon (quotas, search and push events apply); duplicates are skipped, and an interrupted import of an mbox file resumes where it stopped")
        {
            address, path, folder, format, o.Json,
        };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => RunAsync(
            context,
            MigrationArgs.As(o.Connection(parse), parse.GetValue(address)!),
            parse.GetValue(path)!,
            parse.GetValue(folder),
            parse.GetValue(format) == "mboxo" ? MboxFormat.Mboxo : MboxFormat.Mboxrd,
            parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ConnectionArgs connection, string path, string? folder, MboxFormat format, bool json)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new CliFailure("file.not-found", $"No file or folder '{path}'.");
        }

        await using var client = await MailConnection.LoginAsync(context, connection);
        var max = (int)Math.Min(int.MaxValue, client.Server.Limits.MaxMessageBytes);
        ImportCheckpoint? checkpoint = null;
        IEnumerable<ImportItem> items;
        long total;
        if (File.Exists(path))
        {
            var target = folder ?? "Inbox";
            checkpoint = new ImportCheckpoint(ImportCheckpoint.PathFor(path), connection.User!, target);
            var length = new FileInfo(path).Length;
            var offset = checkpoint.Read(length);
            if (offset > 0)
            {
                await context.Error.WriteLineAsync($"resuming at byte {offset:N0} of {length:N0} ({checkpoint.Path})");
            }

            items = MboxSource.File(path, target, format, max, offset);
            total = length - offset;
        }
        else if (MaildirSource.Is(path))
        {
            items = MaildirSource.Items(path, folder, max);
            total = MaildirSource.Count(path, folder);
        }
        else if (MboxSource.Files(path).Any())
        {
            items = MboxSource.Directory(path, folder, format, max);
            total = MboxSource.Files(path).Sum(f => new FileInfo(f).Length);
        }
        else
        {
            throw new CliFailure("import.unknown-format", $"'{path}' is neither a Maildir (no cur/ or new/, no .Folder/ inside) nor a folder holding *.mbox files.");
        }

        var progress = new ImportProgress(context.Error, MigrationArgs.ErrorIsTerminal(context), total);
        var runner = new ImportRunner(client, context.Error, progress, checkpoint);
        try
        {
            await runner.RunAsync(items, context.CancellationToken);
        }
        catch (InvalidDataException ex)
        {
            throw new CliFailure("import.bad-mbox", $"{path}: {ex.Message}");
        }

        checkpoint?.Delete();
        var counts = runner.Counts;
        await JsonOutput.PrintAsync(
            context.Out,
            json,
            w =>
            {
                w.WriteStartObject();
                w.WriteNumber("imported", counts.Imported);
                w.WriteNumber("duplicates", counts.Duplicates);
                w.WriteNumber("refused", counts.Refused);
                w.WriteNumber("bytes", counts.Bytes);
                w.WriteEndObject();
            },
            $"imported {counts.Imported:N0} messages ({counts.Bytes:N0} bytes) into {connection.User}; {counts.Duplicates:N0} duplicates skipped, {counts.Refused:N0} refused\n");
        return counts.Refused == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
