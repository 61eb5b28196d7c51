using System.Globalization;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Client;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly list --threads</c>: one line per conversation, the one with the newest message first.</summary>
internal static class ThreadListing
{
    public static async Task<int> RunAsync(CommandContext context, ButterflyClient client, string folder, int limit, long offset, bool json)
    {
        var page = await client.ListThreadsAsync(folder, limit, offset, context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("folder", page.Folder);
                MessageRows.WriteNext(w, page.Next);
                w.WriteStartArray("threads");
                foreach (var thread in page.Threads)
                {
                    w.WriteStartObject();
                    w.WriteNumber("thread", thread.Thread);
                    w.WriteNumber("messages", thread.Messages);
                    w.WriteNumber("unseen", thread.Unseen);
                    w.WritePropertyName("latest");
                    DtoJson.WriteMessage(w, thread.Latest);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        var table = new TableWriter(["ID", "COUNT", "UNSEEN", "DATE", "FROM", "SUBJECT"], [0, 0, 0, 0, 32, 70]);
        foreach (var thread in page.Threads)
        {
            var latest = thread.Latest;
            table.Add(
                latest.Id.ToString(CultureInfo.InvariantCulture),
                thread.Messages.ToString(CultureInfo.InvariantCulture),
                thread.Unseen.ToString(CultureInfo.InvariantCulture),
                MessageRows.FormatDate(latest.Date ?? latest.Received),
                latest.From ?? "",
                latest.Subject ?? "");
        }

        table.WriteTo(context.Out);
        var footer = $"{page.Threads.Count} threads in {page.Folder}";
        if (page.Next is { } next)
        {
            footer += $"; next page: --threads --offset {next}";
        }

        await context.Out.WriteLineAsync(footer);
        return ExitCodes.Ok;
    }
}
