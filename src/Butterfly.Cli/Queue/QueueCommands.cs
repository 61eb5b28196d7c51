using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Cli.Users;
using Butterfly.Protocol.Errors;
using Butterfly.Storage;

namespace Butterfly.Cli.Queue;

/// <summary><c>butterfly queue list|retry|drop</c>: the outbound queue and held mail, on the data folder.</summary>
internal static class QueueCommands
{
    public static Command Build(CommandContext context, CommonOptions o) => new("queue", "mail waiting: outbound to other servers, inbound held for a filter (on the data folder directly)")
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
            "make one queued message, or every one, due now (a running daemon notices within a second)")
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
        await using var store = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var entries = await store.Queue.ListAsync(null, context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartArray();
                foreach (var entry in entries)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", entry.Id);
                    w.WriteString("kind", KindName(entry.Kind));
                    w.WriteString("deliveryId", entry.DeliveryId);
                    JsonOutput.WriteNullable(w, "domain", entry.Domain);
                    w.WriteString("sender", entry.Sender);
                    JsonOutput.WriteStrings(w, "recipients", entry.Recipients);
                    w.WriteNumber("size", entry.Size);
                    w.WriteString("created", Timestamp(entry.Created));
                    w.WriteNumber("attempts", entry.Attempts);
                    w.WriteString("nextAttempt", Timestamp(entry.NextAttempt));
                    JsonOutput.WriteNullable(w, "lastError", entry.LastError);
                    w.WriteBoolean("delayNotified", entry.DelayNotified);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return ExitCodes.Ok;
        }

        if (entries.Count == 0)
        {
            await context.Out.WriteLineAsync("The queue is empty.");
            return ExitCodes.Ok;
        }

        var table = new TableWriter(
            ["ID", "KIND", "DOMAIN", "SENDER", "RECIPIENTS", "SIZE", "QUEUED", "TRIES", "NEXT", "LAST ERROR"],
            [0, 0, 30, 30, 40, 0, 0, 0, 0, 60]);
        foreach (var entry in entries)
        {
            table.Add(
                entry.Id.ToString(CultureInfo.InvariantCulture),
                KindName(entry.Kind),
                entry.Domain ?? "-",
                entry.Sender.Length == 0 ? "<>" : entry.Sender,
                string.Join(", ", entry.Recipients),
                entry.Size.ToString(CultureInfo.InvariantCulture),
                Short(entry.Created),
                entry.Attempts.ToString(CultureInfo.InvariantCulture),
                Short(entry.NextAttempt),
                entry.LastError ?? "-");
        }

        table.WriteTo(context.Out);
        await context.Out.WriteLineAsync($"{entries.Count} message{(entries.Count == 1 ? string.Empty : "s")} queued");
        return ExitCodes.Ok;
    }

    private static async Task<int> RetryAsync(CommandContext context, StoreArgs storeArgs, long? id, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var store = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var count = await store.Queue.RetryAsync(id, DateTimeOffset.UtcNow, context.CancellationToken);
        if (id is not null && count == 0)
        {
            throw NotFound(id.Value);
        }

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
        await using var store = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        if (!await store.Queue.RemoveAsync(id, context.CancellationToken))
        {
            throw NotFound(id);
        }

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

    private static CliFailure NotFound(long id) =>
        new(ErrorCode.QueueNotFound.ToWire(), $"No queued message {id} (see butterfly queue list).");

    private static string KindName(QueueKind kind) => kind switch
    {
        QueueKind.Outbound => "outbound",
        QueueKind.Inbound => "inbound",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);

    private static string Short(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
