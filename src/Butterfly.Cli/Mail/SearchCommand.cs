using System.CommandLine;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly search</c> (protocol/client.md, "message.search").</summary>
internal static class SearchCommand
{
    private const string Language =
        "words, \"phrases\", from:, to:, subject:, in:FOLDER, is:unread|read|flagged|unflagged, has:attachment, before:/after:YYYY-MM-DD";

    public static Command Build(CommandContext context, CommonOptions o)
    {
        var query = new Argument<string[]>("QUERY")
        {
            Description = $"what to look for ({Language}); several arguments are one query",
            Arity = ArgumentArity.OneOrMore,
        };
        var folder = new Option<string?>("--folder")
        {
            Description = "only this folder (default: all but Trash and Junk)",
            HelpName = "NAME",
            Validators = { Values.NotBlank },
        };
        var limit = Values.WholeNumber("--limit", "matches per page, 1 to 500", 50, 1, 500);
        var offset = Values.WholeNumber("--offset", "matches to skip (the next page)", 0, 0);
        var command = new Command("search", "search your mail, newest first (folder, id, flags, date, from, subject)")
        {
            query, folder, limit, offset, o.Json,
        };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => RunAsync(
            context,
            o.Connection(parse),
            string.Join(' ', parse.GetValue(query)!),
            parse.GetValue(folder),
            (int)parse.GetValue(limit),
            parse.GetValue(offset),
            parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ConnectionArgs connection, string query, string? folder, int limit, long offset, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var page = await client.SearchAsync(query, folder, limit, offset, context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("query", query);
                MessageRows.WriteNext(w, page.Next);
                MessageRows.WriteArray(w, "messages", page.Messages);
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        MessageRows.Table(page.Messages).WriteTo(context.Out);
        var footer = page.Messages.Count == 1 ? "1 match" : $"{page.Messages.Count} matches";
        if (page.Next is { } next)
        {
            footer += $"; next page: --offset {next}";
        }

        await context.Out.WriteLineAsync(footer);
        return ExitCodes.Ok;
    }
}
