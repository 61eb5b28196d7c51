using System.Globalization;
using Butterfly.Cli.Arguments;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly read</c>.</summary>
internal static class ReadCommand
{
    public static CommandDefinition Definition { get; } = new()
    {
        Name = "read",
        Summary = "show a message",
        Usage = "ID [options]",
        Description = "Shows a message decoded: its From, To, Cc, Subject and Date fields, its readable text and\n"
            + "its attachments (file name, media type, size). --raw writes\n"
            + "the exact stored bytes to stdout. Reading marks the message seen unless --keep-unseen.",
        Options = MailOptions.With(
            MailOptions.Folder,
            OptionSpec.Flag("raw", "write the raw RFC 5322 bytes"),
            OptionSpec.Flag("keep-unseen", "do not add the seen flag"),
            MailOptions.Json),
        MinPositionals = 1,
        MaxPositionals = 1,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandContext context, ParsedArguments args)
    {
        var id = args.Ids()[0];
        var folder = args.Value("folder") ?? "Inbox";
        if (args.Has("raw") && args.Has("json"))
        {
            throw new UsageException("choose one of --raw and --json.");
        }

        await using var client = await MailConnection.LoginAsync(context, args);
        var message = await client.FetchAsync(folder, id, context.CancellationToken);
        var flags = message.Flags;
        if (!args.Has("keep-unseen") && !flags.Contains(FlagNames.Seen))
        {
            var states = await client.ChangeFlagsAsync(folder, [id], [FlagNames.Seen], null, context.CancellationToken);
            flags = states.Count > 0 ? states[0].Flags : flags;
        }

        if (args.Has("raw"))
        {
            await context.Out.FlushAsync(context.CancellationToken);
            await using var stdout = context.OpenStandardOutput();
            await stdout.WriteAsync(message.Content, context.CancellationToken);
            await stdout.FlushAsync(context.CancellationToken);
            return CliApp.ExitOk;
        }

        if (args.Has("json"))
        {
            var decoded = MessageRenderer.Decode(message.Content);
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("folder", message.Folder);
                w.WriteNumber("id", message.Id);
                w.WriteNumber("size", message.Size);
                JsonOutput.WriteStrings(w, "flags", flags);
                w.WriteString("received", message.Received.ToString("o", CultureInfo.InvariantCulture));
                w.WriteStartObject("headers");
                foreach (var (name, value) in decoded.Fields)
                {
                    w.WriteString(name.ToLowerInvariant(), value);
                }

                w.WriteEndObject();
                w.WriteString("text", decoded.Text);
                w.WriteStartArray("attachments");
                foreach (var attachment in decoded.Attachments)
                {
                    w.WriteStartObject();
                    w.WriteString("fileName", attachment.FileName);
                    w.WriteString("mediaType", attachment.MediaType);
                    w.WriteNumber("size", attachment.Size);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return CliApp.ExitOk;
        }

        await context.Out.WriteAsync(MessageRenderer.Render(message.Content));
        return CliApp.ExitOk;
    }
}
