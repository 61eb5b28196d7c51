using System.CommandLine;
using System.Globalization;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Client;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly read</c>.</summary>
internal static class ReadCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var id = Values.OneMessageId("the message's id in the folder");
        var raw = new Option<bool>("--raw") { Description = "write the exact stored bytes (RFC 5322) to stdout" };
        var keepUnseen = new Option<bool>("--keep-unseen") { Description = "do not add the seen flag" };
        var command = new Command(
            "read",
            "show a message: From, To, Cc, Subject, Date, its text and its attachments; marks it seen")
        {
            id, o.Folder, raw, keepUnseen, o.Json,
        };
        o.AddConnection(command);
        command.Validators.Add(result =>
        {
            if (Values.Given(result, raw) && Values.Given(result, o.Json))
            {
                result.AddError("choose one of --raw and --json.");
            }
        });
        CliAction.Set(command, context, o, parse => RunAsync(
            context,
            o.Connection(parse),
            parse.GetValue(o.Folder)!,
            parse.GetValue(id),
            parse.GetValue(keepUnseen),
            parse.GetValue(raw),
            parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ConnectionArgs connection, string folder, long id, bool keepUnseen, bool raw, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var message = await client.FetchAsync(folder, id, context.CancellationToken);
        var flags = message.Flags;
        if (!keepUnseen && !flags.Contains(FlagNames.Seen))
        {
            var states = await client.ChangeFlagsAsync(folder, [id], [FlagNames.Seen], null, context.CancellationToken);
            flags = states.Count > 0 ? states[0].Flags : flags;
        }

        if (raw)
        {
            await context.Out.FlushAsync(context.CancellationToken);
            await using var stdout = context.OpenStandardOutput();
            await stdout.WriteAsync(message.Content, context.CancellationToken);
            await stdout.FlushAsync(context.CancellationToken);
        }
        else if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w => WriteJson(w, message, flags, MessageRenderer.Decode(message.Content)));
        }
        else
        {
            await context.Out.WriteAsync(MessageRenderer.Render(MessageRenderer.Decode(message.Content)));
        }

        return ExitCodes.Ok;
    }

    private static void WriteJson(System.Text.Json.Utf8JsonWriter w, FetchedMessage message, IReadOnlyList<string> flags, RenderedMessage decoded)
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
            JsonOutput.WriteNullable(w, "fileName", attachment.FileName);
            w.WriteString("mediaType", attachment.MediaType);
            w.WriteNumber("size", attachment.Size);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
