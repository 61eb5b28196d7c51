using System.Globalization;
using Butterfly.Cli.Arguments;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly list</c>.</summary>
internal static class ListCommand
{
    public static CommandDefinition Definition { get; } = new()
    {
        Name = "list",
        Summary = "list the messages in a folder, newest first",
        Description = "Lists a folder's messages, newest first, one page at a time: id, flags, date, from\n"
            + "and subject. Use --before with the id printed at the bottom for the next page.",
        Options = MailOptions.With(
            MailOptions.Folder,
            OptionSpec.Value("limit", "N", "messages per page, 1 to 500 (default 50)"),
            OptionSpec.Value("before", "ID", "only messages with a smaller id (the next page)"),
            MailOptions.Json),
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandContext context, ParsedArguments args)
    {
        var folder = args.Value("folder") ?? "Inbox";
        var limit = (int)args.Int64("limit", 50, 1, 500);
        long? before = args.Has("before") ? args.Int64("before", 0, 1) : null;
        await using var client = await MailConnection.LoginAsync(context, args);
        var page = await client.ListMessagesAsync(folder, limit, before, context.CancellationToken);
        if (args.Has("json"))
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
            return CliApp.ExitOk;
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
        return CliApp.ExitOk;
    }

    internal static string FormatDate(DateTimeOffset date) =>
        date.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
