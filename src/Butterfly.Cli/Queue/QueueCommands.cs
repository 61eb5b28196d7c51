using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Cli.Users;
using Names = Butterfly.Server.Control.ControlCommandNames;

namespace Butterfly.Cli.Queue;

/// <summary>
/// <c>butterfly queue list|retry|drop</c>: the outbound queue and held mail, through the daemon's
/// control socket while one runs, on the data folder directly otherwise.
/// </summary>
internal static class QueueCommands
{
    public static Command Build(CommandContext context, CommonOptions o) => new("queue", "mail waiting: outbound to other servers, inbound held for a filter (through the running daemon, or on the data folder when none runs)")
    {
        List(context, o),
        Retry(context, o),
        Drop(context, o),
    };

    private static Command List(CommandContext context, CommonOptions o)
    {
        var command = new Command(
            "list",
            "list queued and held messages, with attempts, next attempt and last error")
        {
            o.Json,
        };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => ListAsync(context, StoreAccess.Args(parse, o), parse.GetValue(o.Json)));
        return command;
    }

    private static Command Retry(CommandContext context, CommonOptions o)
    {
        var id = new Argument<long?>("ID")
        {
            Description = "the queued message (see queue list); every one when left out",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result => result.Tokens.Count == 0 ? null : QueueId(result),
        };
        var command = new Command(
            "retry",
            "make one queued message, or every one, due now (a running daemon tries it at once)")
        {
            id, o.Json,
        };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => RetryAsync(context, StoreAccess.Args(parse, o), parse.GetValue(id), parse.GetValue(o.Json)));
        return command;
    }

    private static Command Drop(CommandContext context, CommonOptions o)
    {
        var id = new Argument<long>("ID")
        {
            Description = "the queued message (see queue list)",
            CustomParser = QueueId,
        };
        var command = new Command("drop", "remove a queued message for good: no delivery, no bounce") { id, o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => DropAsync(context, StoreAccess.Args(parse, o), parse.GetValue(id), parse.GetValue(o.Json)));
        return command;
    }

    private static long QueueId(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            result.AddError($"'{text}' is not a queue id (a positive whole number, see queue list).");
        }

        return id;
    }

    private static async Task<int> ListAsync(CommandContext context, StoreArgs storeArgs, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var channel = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var entries = (await channel.CallAsync(Names.QueueList, null, context.CancellationToken)).GetProperty("entries");
        var count = entries.GetArrayLength();
        if (json)
        {
            // Each entry as the daemon describes it (control.md, "queue.list").
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartArray();
                foreach (var entry in entries.EnumerateArray())
                {
                    entry.WriteTo(w);
                }

                w.WriteEndArray();
            });
            return ExitCodes.Ok;
        }

        if (count == 0)
        {
            await context.Out.WriteLineAsync("The queue is empty.");
            return ExitCodes.Ok;
        }

        var table = new TableWriter(
            ["ID", "KIND", "DOMAIN", "SENDER", "RECIPIENTS", "SIZE", "QUEUED", "TRIES", "NEXT", "LAST ERROR"],
            [0, 0, 30, 30, 40, 0, 0, 0, 0, 60]);
        foreach (var entry in entries.EnumerateArray())
        {
            var sender = entry.GetProperty("sender").GetString()!;
            table.Add(
                entry.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture),
                entry.GetProperty("kind").GetString()!,
                Text(entry, "domain") ?? "-",
                sender.Length == 0 ? "<>" : sender,
                string.Join(", ", entry.GetProperty("recipients").EnumerateArray().Select(r => r.GetString())),
                entry.GetProperty("size").GetInt64().ToString(CultureInfo.InvariantCulture),
                Short(entry, "created"),
                entry.GetProperty("attempts").GetInt32().ToString(CultureInfo.InvariantCulture),
                Short(entry, "nextAttempt"),
                Text(entry, "lastError") ?? "-");
        }

        table.WriteTo(context.Out);
        await context.Out.WriteLineAsync($"{count} message{(count == 1 ? string.Empty : "s")} queued");
        return ExitCodes.Ok;
    }

    private static async Task<int> RetryAsync(CommandContext context, StoreArgs storeArgs, long? id, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var channel = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var reply = await channel.CallAsync(
            Names.QueueRetry,
            id is null ? null : w => w.WriteNumber("id"u8, id.Value),
            context.CancellationToken);
        var count = reply.GetProperty("retried").GetInt32();
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("retried", count);
                w.WriteEndObject();
            });
        }
        else
        {
            await context.Out.WriteLineAsync(id is null
                ? $"{count} message{(count == 1 ? string.Empty : "s")} due now"
                : $"message {id} due now");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> DropAsync(CommandContext context, StoreArgs storeArgs, long id, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var channel = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        await channel.CallAsync(Names.QueueDrop, w => w.WriteNumber("id"u8, id), context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("dropped", id);
                w.WriteEndObject();
            });
        }
        else
        {
            await context.Out.WriteLineAsync($"dropped message {id}");
        }

        return ExitCodes.Ok;
    }

    private static string? Text(JsonElement entry, string name) =>
        entry.GetProperty(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static string Short(JsonElement entry, string name) =>
        entry.GetProperty(name).GetDateTimeOffset().ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
