using System.CommandLine;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Client;
using MimeKit;
using MimeKit.Utils;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly draft save|list|send</c>: drafts in the Drafts folder.</summary>
internal static class DraftCommands
{
    private const string Folder = "Drafts";

    public static Command Build(CommandContext context, CommonOptions o) =>
        new("draft", "save, list and send drafts (kept in the Drafts folder)")
        {
            Save(context, o),
            List(context, o),
            Send(context, o),
        };

    private static Command Save(CommandContext context, CommonOptions o)
    {
        var fields = new SendOptions("save this RFC 5322 file as the draft, as is (- reads stdin)");
        var command = new Command("save", "save a draft, with the fields of send: --to/--cc/--bcc/--subject/--body, or --file");
        fields.AddTo(command);
        command.Options.Add(o.Json);
        o.AddConnection(command);
        command.Validators.Add(result =>
        {
            if (Values.Given(result, fields.File)
                && (Values.Given(result, fields.Body) || Values.Given(result, fields.Subject) || Values.Typed(result, fields.To).Count + Values.Typed(result, fields.Cc).Count + Values.Typed(result, fields.Bcc).Count > 0))
            {
                result.AddError("--file saves a whole message: leave out --to, --cc, --bcc, --subject and --body.");
            }
        });
        CliAction.Set(command, context, o, parse => SaveAsync(
            context,
            o.Connection(parse),
            fields.Read(parse),
            parse.GetValue(o.Json)));
        return command;
    }

    private static Command List(CommandContext context, CommonOptions o)
    {
        var command = new Command("list", "list the drafts, newest first") { o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => ListAsync(context, o.Connection(parse), parse.GetValue(o.Json)));
        return command;
    }

    private static Command Send(CommandContext context, CommonOptions o)
    {
        var id = Values.OneMessageId("the draft's id (see draft list)");
        var command = new Command("send", "send a saved draft to the recipients in its To, Cc and Bcc fields, then remove it") { id, o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => SendAsync(context, o.Connection(parse), parse.GetValue(id), parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> SaveAsync(CommandContext context, ConnectionArgs connection, SendDraft draft, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var user = MailConnection.User(context, connection);
        byte[] bytes;
        if (draft.File is { } file)
        {
            bytes = file == "-" ? await SendOptions.ReadStdinBytesAsync(context) : await SendOptions.ReadFileAsync(file, context.CancellationToken);
        }
        else
        {
            var text = draft.Body == "-" ? await context.In.ReadToEndAsync(context.CancellationToken) : draft.Body ?? string.Empty;
            bytes = Compose(user, draft, text);
        }

        var id = await client.StoreAsync(Folder, bytes, ["draft"], context.CancellationToken);
        await JsonOutput.PrintAsync(
            context.Out,
            json,
            w =>
            {
                w.WriteStartObject();
                w.WriteString("folder", Folder);
                w.WriteNumber("id", id);
                w.WriteEndObject();
            },
            $"saved draft {id} in {Folder}\n");
        return ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(CommandContext context, ConnectionArgs connection, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var page = await client.ListMessagesAsync(Folder, 500, null, context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                MessageRows.WriteArray(w, "drafts", page.Messages);
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        MessageRows.Table(page.Messages).WriteTo(context.Out);
        return ExitCodes.Ok;
    }

    private static async Task<int> SendAsync(CommandContext context, ConnectionArgs connection, long id, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var draft = await client.FetchAsync(Folder, id, context.CancellationToken);

        // The server takes the recipients from To, Cc and Bcc and removes Bcc before delivery (client.md, "send").
        var result = await client.SendAsync(new SendRequest { Raw = draft.Content }, context.CancellationToken);
        var trashed = await client.DeleteAsync(Folder, [id], context.CancellationToken);
        if (trashed.Trashed.TryGetValue(id, out var inTrash))
        {
            await client.DeleteAsync("Trash", [inTrash], context.CancellationToken);
        }

        await JsonOutput.PrintAsync(
            context.Out,
            json,
            w =>
            {
                w.WriteStartObject();
                w.WriteString("messageId", result.MessageId);
                w.WriteNumber("draft", id);
                w.WriteStartObject("sent");
                w.WriteString("folder", result.SentFolder);
                w.WriteNumber("id", result.SentId);
                w.WriteEndObject();
                w.WriteEndObject();
            },
            $"sent draft {id} as {result.MessageId} (copy in {result.SentFolder} as {result.SentId}); draft removed\n"
            + string.Concat(result.Recipients.Select(r => $"  {r.Address}: {r.Status}\n")));
        return ExitCodes.Ok;
    }

    private static byte[] Compose(string user, SendDraft draft, string text)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(user));
        Add(message.To, draft.To);
        Add(message.Cc, draft.Cc);
        Add(message.Bcc, draft.Bcc);
        message.Subject = draft.Subject ?? string.Empty;
        message.Date = DateTimeOffset.Now;
        message.MessageId = MimeUtils.GenerateMessageId(user[(user.LastIndexOf('@') + 1)..]);
        message.Body = new TextPart("plain") { Text = text };
        using var buffer = new MemoryStream();
        message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, buffer);
        return buffer.ToArray();
    }

    private static void Add(InternetAddressList list, IEnumerable<string> addresses)
    {
        foreach (var address in addresses)
        {
            if (!InternetAddress.TryParse(address, out var parsed))
            {
                throw new UsageException($"'{address}' is not an address.");
            }

            list.Add(parsed);
        }
    }
}
