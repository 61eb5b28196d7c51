using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly watch</c>: prints the account's events as they come (protocol/client.md, "Events").</summary>
internal static class WatchCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var kinds = new Option<string[]>("--kind")
        {
            Description = $"only these kinds (repeatable): message, folder, {string.Join(", ", EventNames.All)}; all when not given",
            HelpName = "KIND",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command(
            "watch",
            "print the account's events as they come (new mail, flags, moves, removals, folders, quota) until Ctrl+C; "
            + "with --json one JSON object per line")
        {
            kinds, o.Json,
        };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => RunAsync(context, o.Connection(parse), parse.GetValue(kinds) ?? [], parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ConnectionArgs connection, string[] kinds, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var user = MailConnection.User(context, connection);
        var ct = context.CancellationToken;
        var state = await client.SubscribeAsync(kinds.Length == 0 ? null : kinds, ct);
        await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"butterfly: watching {user} from state {state} (Ctrl+C to stop)"));
        await context.Error.FlushAsync(ct);
        try
        {
            await foreach (var pushed in client.ReadEventsAsync(ct))
            {
                await context.Out.WriteLineAsync(json ? Json(pushed) : Text(pushed));
                await context.Out.FlushAsync(ct);
                if (pushed.Event == EventNames.Overflow)
                {
                    // Events were lost: start again from now (the listing, or `butterfly changes`, fills the gap).
                    state = await client.SubscribeAsync(kinds.Length == 0 ? null : kinds, ct);
                    await context.Error.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"butterfly: events were lost; watching again from state {state} (butterfly changes --since {pushed.State} shows what was missed)"));
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C is how watching ends.
            return ExitCodes.Ok;
        }

        // The enumeration ended: the server closed the connection.
        throw client.CloseReason ?? new Client.ButterflyConnectionException("The server closed the connection.");
    }

    /// <summary>One line: the kind, where, and what.</summary>
    public static string Text(EventDto e)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{e.State,6} {e.Event,-16}");
        var where = e.Id is { } id ? $"{e.Folder}/{id}" : e.Folder;
        switch (e.Event)
        {
            case EventNames.MessageAdded:
                line.Append(CultureInfo.InvariantCulture, $" {where} from {e.Message?.From ?? "?"}: {e.Message?.Subject ?? ""}");
                break;
            case EventNames.MessageMoved:
                line.Append(CultureInfo.InvariantCulture, $" {where} -> {e.To}/{e.ToId}");
                break;
            case EventNames.MessageFlags:
                line.Append(CultureInfo.InvariantCulture, $" {where} [{string.Join(',', e.Flags ?? [])}]");
                break;
            case EventNames.FolderRenamed:
                line.Append(CultureInfo.InvariantCulture, $" {e.OldFolder} -> {e.Folder}");
                break;
            case EventNames.Quota:
                line.Append(CultureInfo.InvariantCulture, $" {e.Level}: {e.Used} of {(e.Limit is { } limit ? limit.ToString(CultureInfo.InvariantCulture) : "no limit")} bytes");
                break;
            case EventNames.Overflow:
                line.Append(" events were lost; resync");
                break;
            default:
                line.Append(CultureInfo.InvariantCulture, $" {where}");
                break;
        }

        return line.ToString();
    }

    /// <summary>The event as the server sent it, on one line.</summary>
    public static string Json(EventDto e)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.CompactOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("event", e.Event);
            writer.WriteNumber("state", e.State);
            WriteIf(writer, "folder", e.Folder);
            if (e.Id is { } id)
            {
                writer.WriteNumber("id", id);
            }

            WriteIf(writer, "oldFolder", e.OldFolder);
            WriteIf(writer, "to", e.To);
            if (e.ToId is { } toId)
            {
                writer.WriteNumber("toId", toId);
            }

            if (e.Flags is { } flags)
            {
                JsonOutput.WriteStrings(writer, "flags", flags);
            }

            if (e.Message is { } message)
            {
                writer.WritePropertyName("message");
                DtoJson.WriteMessage(writer, message);
            }

            if (e.Used is { } used)
            {
                writer.WriteNumber("used", used);
            }

            if (e.Limit is { } limit)
            {
                writer.WriteNumber("limit", limit);
            }

            WriteIf(writer, "level", e.Level);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteIf(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
