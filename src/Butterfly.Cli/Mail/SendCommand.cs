using System.CommandLine;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Client;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly send</c>.</summary>
internal static class SendCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var fields = new SendOptions("send this RFC 5322 file as is (- reads stdin); --to, --cc, --bcc then only address the envelope");
        var (to, cc, bcc, subject, body, file) = (fields.To, fields.Cc, fields.Bcc, fields.Subject, fields.Body, fields.File);
        var command = new Command(
            "send",
            "send a message: --body has the server compose it, --file sends a message file as is");
        fields.AddTo(command);
        command.Options.Add(o.Json);
        o.AddConnection(command);
        command.Validators.Add(result =>
        {
            var fileValue = Values.Typed(result, file).FirstOrDefault();
            var recipients = Values.Typed(result, to).Count + Values.Typed(result, cc).Count + Values.Typed(result, bcc).Count;
            var hasBody = Values.Given(result, body);
            if (fileValue is not null && (hasBody || Values.Given(result, subject)))
            {
                result.AddError("--file sends a whole message: leave out --body and --subject.");
            }
            else if ((fileValue == "-" || Values.Typed(result, body).FirstOrDefault() == "-") && Values.Given(result, o.PasswordStdin))
            {
                result.AddError($"{(fileValue is null ? "--body" : "--file")} - and --password-stdin both read stdin; give the password another way.");
            }
            else if (fileValue is null && !hasBody && !Values.Given(result, file))
            {
                result.AddError("give the text with --body TEXT, or a message with --file PATH.");
            }
            else if (fileValue is null && hasBody && recipients == 0)
            {
                result.AddError("give at least one recipient with --to, --cc or --bcc.");
            }
        });
        CliAction.Set(command, context, o, parse => RunAsync(
            context,
            o.Connection(parse),
            fields.Read(parse),
            parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ConnectionArgs connection, SendDraft draft, bool json)
    {
        // A send whose reply is lost is retried with the same submission id: stored once.
        await using var client = await MailConnection.LoginReconnectingAsync(context, connection);
        SendRequest request;
        if (draft.File is { } file)
        {
            var raw = file == "-" ? await SendOptions.ReadStdinBytesAsync(context) : await SendOptions.ReadFileAsync(file, context.CancellationToken);
            if (raw.Length == 0)
            {
                throw new UsageException($"the message in '{file}' is empty.");
            }

            var envelope = draft.To.Length + draft.Cc.Length + draft.Bcc.Length > 0 ? [.. draft.To, .. draft.Cc, .. draft.Bcc] : (IReadOnlyList<string>?)null;
            request = new SendRequest { Raw = raw, Rcpt = envelope };
        }
        else
        {
            var text = draft.Body == "-" ? await context.In.ReadToEndAsync(context.CancellationToken) : draft.Body!;
            request = new SendRequest { To = draft.To, Cc = draft.Cc, Bcc = draft.Bcc, Subject = draft.Subject ?? "", Text = text };
        }

        var result = await client.SendAsync(request, context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("messageId", result.MessageId);
                w.WriteStartObject("sent");
                w.WriteString("folder", result.SentFolder);
                w.WriteNumber("id", result.SentId);
                w.WriteEndObject();
                w.WriteStartArray("recipients");
                foreach (var recipient in result.Recipients)
                {
                    w.WriteStartObject();
                    w.WriteString("address", recipient.Address);
                    w.WriteString("status", recipient.Status);
                    if (recipient.Via is { } via)
                    {
                        w.WriteString("via", via);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        await context.Out.WriteLineAsync($"sent {result.MessageId} (copy in {result.SentFolder} as {result.SentId})");
        foreach (var recipient in result.Recipients)
        {
            await context.Out.WriteLineAsync($"  {recipient.Address}: {Describe(recipient)}");
        }

        return ExitCodes.Ok;
    }

    // Says how queued mail leaves, so nobody reads "queued" as "delivered".
    private static string Describe(RecipientStatus recipient) => (recipient.Status, recipient.Via) switch
    {
        ("queued", "smtp") => $"queued for SMTP delivery to {recipient.Domain}",
        ("queued", "butterfly") => $"queued for delivery to the Butterfly server of {recipient.Domain}",
        _ => recipient.Status,
    };
}
