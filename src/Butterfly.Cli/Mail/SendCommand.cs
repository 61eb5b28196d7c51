using Butterfly.Cli.Arguments;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Client;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly send</c>.</summary>
internal static class SendCommand
{
    public static CommandDefinition Definition { get; } = new()
    {
        Name = "send",
        Summary = "send a message",
        Usage = "--to ADDRESS [--to ...] [--cc ...] [--bcc ...] --subject TEXT (--body TEXT | --file MESSAGE.eml) [options]",
        Description = "Sends a message as the logged-in account. With --body the server composes the message\n"
            + "from --to, --cc, --bcc, --subject and the text (--body - reads the text from stdin).\n"
            + "With --file the file is sent as is (- reads it from stdin); --to, --cc and --bcc, when\n"
            + "given, are the envelope recipients, otherwise the message's own To, Cc and Bcc are used.",
        Options = MailOptions.With(
            OptionSpec.List("to", "ADDRESS", "a To recipient (repeatable)"),
            OptionSpec.List("cc", "ADDRESS", "a Cc recipient (repeatable)"),
            OptionSpec.List("bcc", "ADDRESS", "a Bcc recipient (repeatable)"),
            OptionSpec.Value("subject", "TEXT", "the subject"),
            OptionSpec.Value("body", "TEXT", "the plain-text body (- for stdin)"),
            OptionSpec.Value("file", "PATH", "send this RFC 5322 message file instead (- for stdin)"),
            MailOptions.Json),
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandContext context, ParsedArguments args)
    {
        var to = args.Values("to");
        var cc = args.Values("cc");
        var bcc = args.Values("bcc");
        var file = args.Value("file");
        var body = args.Value("body");
        if (file is not null && (body is not null || args.Has("subject")))
        {
            throw new UsageException("--file sends a whole message: leave out --body and --subject.");
        }

        if (file == "-" && args.Has("password-stdin"))
        {
            throw new UsageException("--file - and --password-stdin both read stdin; give the password another way.");
        }

        if (file is null && body is null)
        {
            throw new UsageException("give the text with --body TEXT, or a message with --file PATH.");
        }

        if (file is null && to.Count + cc.Count + bcc.Count == 0)
        {
            throw new UsageException("give at least one recipient with --to, --cc or --bcc.");
        }

        await using var client = await MailConnection.LoginAsync(context, args);
        SendRequest request;
        if (file is not null)
        {
            var raw = file == "-" ? await ReadStdinBytesAsync(context) : await ReadFileAsync(file, context.CancellationToken);
            if (raw.Length == 0)
            {
                throw new UsageException($"the message in '{file}' is empty.");
            }

            request = new SendRequest { Raw = raw, Rcpt = to.Count + cc.Count + bcc.Count > 0 ? [.. to, .. cc, .. bcc] : null };
        }
        else
        {
            var text = body == "-" ? await context.In.ReadToEndAsync(context.CancellationToken) : body!;
            request = new SendRequest { To = to, Cc = cc, Bcc = bcc, Subject = args.Value("subject") ?? "", Text = text };
        }

        var result = await client.SendAsync(request, context.CancellationToken);
        if (args.Has("json"))
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
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        else
        {
            await context.Out.WriteLineAsync($"sent {result.MessageId} (copy in {result.SentFolder} as {result.SentId})");
            foreach (var recipient in result.Recipients)
            {
                await context.Out.WriteLineAsync($"  {recipient.Address}: {recipient.Status}");
            }
        }

        return CliApp.ExitOk;
    }

    private static async Task<byte[]> ReadFileAsync(string path, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, ct);
        }
        catch (FileNotFoundException)
        {
            throw new CliFailure("file.not-found", $"No file '{path}'.");
        }
        catch (DirectoryNotFoundException)
        {
            throw new CliFailure("file.not-found", $"No file '{path}'.");
        }
    }

    private static async Task<byte[]> ReadStdinBytesAsync(CommandContext context)
    {
        // Bytes, not text: the message is sent exactly as given.
        using var buffer = new MemoryStream();
        await using var stdin = context.OpenStandardInput();
        await stdin.CopyToAsync(buffer, context.CancellationToken);
        return buffer.ToArray();
    }
}
