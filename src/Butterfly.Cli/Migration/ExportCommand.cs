using System.CommandLine;
using System.Globalization;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Mail;
using Butterfly.Cli.Rendering;
using Butterfly.Client;

namespace Butterfly.Cli.Migration;

/// <summary>
/// <c>butterfly export ADDRESS --format mbox|maildir OUT</c>: every message byte for byte, oldest
/// first. mbox: one folder into the file OUT, or every folder into OUT/NAME.mbox; maildir: a
/// Maildir++ tree (Inbox, or the one folder asked for, at the top; <c>.Archive.2026</c> for
/// the others), flags in the file names.
/// </summary>
internal static class ExportCommand
{
    private const int Window = 16;

    public static Command Build(CommandContext context, CommonOptions o)
    {
        var address = new Argument<string>("ADDRESS") { Description = "the account to export (it logs in, with its password)", Validators = { Values.NotBlank } };
        var output = new Argument<string>("OUT") { Description = "the mbox file (with --folder) or the folder to write; it must not exist", Validators = { Values.NotBlank } };
        var folder = new Option<string?>("--folder") { Description = "only this folder (default: every folder)", HelpName = "NAME" };
        var format = new Option<string>("--format") { Description = "mbox (mboxrd) or maildir", HelpName = "mbox|maildir", Required = true };
        format.AcceptOnlyFromAmong("mbox", "maildir");
        var command = new Command("export", "export mail byte for byte as mbox (mboxrd) or Maildir (flags kept in the file names)")
        {
            address, output, folder, format, o.Json,
        };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => RunAsync(
            context,
            MigrationArgs.As(o.Connection(parse), parse.GetValue(address)!),
            parse.GetValue(output)!,
            parse.GetValue(folder),
            parse.GetValue(format) == "maildir",
            parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ConnectionArgs connection, string output, string? folder, bool maildir, bool json)
    {
        output = Path.GetFullPath(output);
        if (File.Exists(output) || (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any()))
        {
            throw new CliFailure("file.exists", $"'{output}' exists already; export writes into a new file or an empty folder.");
        }

        await using var client = await MailConnection.LoginAsync(context, connection);
        var folders = folder is null
            ? [.. (await client.ListFoldersAsync(context.CancellationToken)).Select(f => f.Name)]
            : new List<string> { folder };
        long messages = 0;
        foreach (var name in folders)
        {
            var ids = await IdsAsync(client, name, context.CancellationToken);
            if (maildir)
            {
                var directory = folder is not null || name == "Inbox" ? output : Path.Combine(output, "." + name.Replace('/', '.'));
                messages += await ExportAsync(client, name, ids, m => WriteMaildir(directory, m), () => CreateMaildir(directory), context.CancellationToken);
                continue;
            }

            var file = folder is not null ? output : Path.Combine(output, name.Replace('/', Path.DirectorySeparatorChar) + ".mbox");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            var writer = new MboxWriter(stream);
            messages += await ExportAsync(client, name, ids, m => writer.Write(m.Content, m.Received), () => { }, context.CancellationToken);
        }

        await JsonOutput.PrintAsync(
            context.Out,
            json,
            w =>
            {
                w.WriteStartObject();
                w.WriteNumber("messages", messages);
                w.WriteNumber("folders", folders.Count);
                w.WriteString("out", output);
                w.WriteEndObject();
            },
            string.Create(CultureInfo.InvariantCulture, $"exported {messages:N0} messages from {folders.Count} folder(s) of {connection.User} to {output}\n"));
        return ExitCodes.Ok;
    }

    /// <summary>A folder's ids, oldest first (the listing pages newest first).</summary>
    private static async Task<List<long>> IdsAsync(ButterflyClient client, string folder, CancellationToken ct)
    {
        var ids = new List<long>();
        long? before = null;
        do
        {
            var page = await client.ListMessagesAsync(folder, 500, before, ct);
            ids.AddRange(page.Messages.Select(m => m.Id));
            before = page.Next;
        }
        while (before is not null);

        ids.Reverse();
        return ids;
    }

    // Several fetches in flight, written in order.
    private static async Task<long> ExportAsync(ButterflyClient client, string folder, List<long> ids, Action<FetchedMessage> write, Action start, CancellationToken ct)
    {
        start();
        var inFlight = new Queue<Task<FetchedMessage>>(Window);
        foreach (var id in ids)
        {
            if (inFlight.Count == Window)
            {
                write(await inFlight.Dequeue());
            }

            inFlight.Enqueue(client.FetchAsync(folder, id, ct));
        }

        while (inFlight.Count > 0)
        {
            write(await inFlight.Dequeue());
        }

        return ids.Count;
    }

    private static void CreateMaildir(string directory)
    {
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(directory, sub));
        }
    }

    private static void WriteMaildir(string directory, FetchedMessage message)
    {
        var name = string.Create(
            CultureInfo.InvariantCulture,
            $"{message.Received.ToUnixTimeSeconds()}.M{message.Id}.butterfly,S={message.Content.Length}{MaildirFlags.Suffix(message.Flags)}");
        File.WriteAllBytes(Path.Combine(directory, "cur", name), message.Content);
    }
}
