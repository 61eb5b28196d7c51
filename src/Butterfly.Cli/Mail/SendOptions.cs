using System.CommandLine;
using Butterfly.Cli.Commands;

namespace Butterfly.Cli.Mail;

/// <summary>The message fields <c>send</c> and <c>draft save</c> share: --to, --cc, --bcc, --subject, --body, --file.</summary>
/// <param name="fileDescription">What --file does in this command.</param>
internal sealed class SendOptions(string fileDescription)
{
    public Option<string[]> To { get; } = Recipients("--to", "a To recipient (repeatable)");

    public Option<string[]> Cc { get; } = Recipients("--cc", "a Cc recipient (repeatable)");

    public Option<string[]> Bcc { get; } = Recipients("--bcc", "a Bcc recipient (repeatable)");

    public Option<string?> Subject { get; } = new("--subject") { Description = "the subject (optional)", HelpName = "TEXT" };

    public Option<string?> Body { get; } = new("--body") { Description = "the plain-text body (- reads it from stdin)", HelpName = "TEXT" };

    public Option<string?> File { get; } = new("--file") { Description = fileDescription, HelpName = "PATH" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { To, Cc, Bcc, Subject, Body, File })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>What the options say.</summary>
    public SendDraft Read(ParseResult parse) =>
        new(parse.GetValue(To)!, parse.GetValue(Cc)!, parse.GetValue(Bcc)!, parse.GetValue(Subject), parse.GetValue(Body), parse.GetValue(File));

    /// <summary>Standard input as bytes, not text: a message is taken exactly as given.</summary>
    public static async Task<byte[]> ReadStdinBytesAsync(CommandContext context)
    {
        using var buffer = new MemoryStream();
        await using var stdin = context.OpenStandardInput();
        await stdin.CopyToAsync(buffer, context.CancellationToken);
        return buffer.ToArray();
    }

    /// <summary>A message file's bytes.</summary>
    /// <exception cref="CliFailure">There is no such file.</exception>
    public static async Task<byte[]> ReadFileAsync(string path, CancellationToken ct)
    {
        try
        {
            return await System.IO.File.ReadAllBytesAsync(path, ct);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliFailure("file.not-found", $"No file '{path}'.");
        }
    }

    private static Option<string[]> Recipients(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "ADDRESS",
        DefaultValueFactory = _ => [],
        Validators = { Values.NotBlank },
    };
}
