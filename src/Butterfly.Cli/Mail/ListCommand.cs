using System.CommandLine;
using System.Globalization;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly list</c>.</summary>
internal static class ListCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var limit = Values.WholeNumber("--limit", "messages per page, 1 to 500", 50, 1, 500);
        var before = Values.OptionalWholeNumber("--before", "ID", "only messages with a smaller id (the next page)", 1);
        var threads = new Option<bool>("--threads") { Description = "one line per conversation (its newest message, count, unseen)" };
        var offset = Values.WholeNumber("--offset", "with --threads: threads to skip (the next page)", 0, 0);
        var command = new Command(
            "list",
            "list a folder's messages, newest first, a page at a time (id, flags, date, from, subject)")
        {
            o.Folder, limit, before, threads, offset, o.Json,
        };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => RunAsync(
            context,
            o.Connection(parse),
            parse.GetValue(o.Folder)!,
            (int)parse.GetValue(limit),
            parse.GetValue(before),
            parse.GetValue(threads) ? parse.GetValue(offset) : null,
            parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ConnectionArgs connection, string folder, int limit, long? before, long? threadOffset, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        if (threadOffset is { } offset)
        {
            return await ThreadListing.RunAsync(context, client, folder, limit, offset, json);
        }

        var page = await client.ListMessagesAsync(folder, limit, before, context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("folder", page.Folder);
                w.WriteNumber("total", page.Total);
                if (page.Next is { } next)
                {
                    w.WriteNumber("next", next);
                }
                else
                {
                    w.WriteNull("next");
                }

                w.WriteStartArray("messages");
                foreach (var message in page.Messages)
                {
                    DtoJson.WriteMessage(w, message);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        var table = new TableWriter(["ID", "FLAGS", "DATE", "FROM", "SUBJECT"], [0, 24, 0, 32, 70]);
        foreach (var message in page.Messages)
        {
            table.Add(
                message.Id.ToString(CultureInfo.InvariantCulture),
                message.Flags.Count == 0 ? "-" : string.Join(',', message.Flags),
                FormatDate(message.Date ?? message.Received),
                message.From ?? "",
                message.Subject ?? "");
        }

        table.WriteTo(context.Out);
        var footer = $"{page.Messages.Count} of {page.Total} in {page.Folder}";
        if (page.Next is { } nextPage)
        {
            footer += $"; next page: --before {nextPage}";
        }

        await context.Out.WriteLineAsync(footer);
        return ExitCodes.Ok;
    }

    private static string FormatDate(DateTimeOffset date) =>
        date.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
