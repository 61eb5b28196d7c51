using System.Globalization;
using Butterfly.Cli.Arguments;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Cli.Users;
using Butterfly.Protocol.Errors;
using Butterfly.Storage;

namespace Butterfly.Cli.Queue;

/// <summary><c>butterfly queue list|retry|drop</c>: the outbound queue and held mail, on the data folder.</summary>
internal static class QueueCommands
{
    private const string Note = "Works on the data folder directly, whether the daemon runs or not.";

    private static readonly OptionSpec _json = OptionSpec.Flag("json", "print JSON for scripts");

    public static IReadOnlyList<CommandDefinition> Definitions { get; } =
    [
        new()
        {
            Name = "queue list",
            Summary = "list queued and held messages",
            Description = "Lists the messages waiting for delivery to other servers (outbound) and the mail\n"
                + "held until a filter can decide (inbound): id, kind, domain, sender, recipients,\n"
                + "size, when queued, attempts, next attempt and the last error. " + Note,
            Options = [_json, StoreAccess.Config, StoreAccess.Data],
            RunAsync = ListAsync,
        },
        new()
        {
            Name = "queue retry",
            Summary = "try queued messages again now",
            Usage = "[ID] [options]",
            Description = "Makes one queued message, or every one when no id is given, due now. A running\n"
                + "daemon picks the change up within a second. " + Note,
            Options = [_json, StoreAccess.Config, StoreAccess.Data],
            MaxPositionals = 1,
            RunAsync = RetryAsync,
        },
        new()
        {
            Name = "queue drop",
            Summary = "remove a queued message without delivering it",
            Usage = "ID [options]",
            Description = "Removes a queued message for good: no delivery, no bounce. " + Note,
            Options = [_json, StoreAccess.Config, StoreAccess.Data],
            MinPositionals = 1,
            MaxPositionals = 1,
            RunAsync = DropAsync,
        },
    ];

    private static async Task<int> ListAsync(CommandContext context, ParsedArguments args)
    {
        var options = StoreAccess.LoadOptions(args);
        await using var store = await StoreAccess.OpenAsync(options, context.CancellationToken);
        var entries = await store.Queue.ListAsync(null, context.CancellationToken);
        if (args.Has("json"))
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
                    if (entry.Domain is null)
                    {
                        w.WriteNull("domain");
                    }
                    else
                    {
                        w.WriteString("domain", entry.Domain);
                    }

                    w.WriteString("sender", entry.Sender);
                    JsonOutput.WriteStrings(w, "recipients", entry.Recipients);
                    w.WriteNumber("size", entry.Size);
                    w.WriteString("created", Timestamp(entry.Created));
                    w.WriteNumber("attempts", entry.Attempts);
                    w.WriteString("nextAttempt", Timestamp(entry.NextAttempt));
                    if (entry.LastError is null)
                    {
                        w.WriteNull("lastError");
                    }
                    else
                    {
                        w.WriteString("lastError", entry.LastError);
                    }

                    w.WriteBoolean("delayNotified", entry.DelayNotified);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return CliApp.ExitOk;
        }

        if (entries.Count == 0)
        {
            await context.Out.WriteLineAsync("The queue is empty.");
            return CliApp.ExitOk;
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
        return CliApp.ExitOk;
    }

    private static async Task<int> RetryAsync(CommandContext context, ParsedArguments args)
    {
        long? id = args.Positionals.Count == 0 ? null : args.Ids()[0];
        var options = StoreAccess.LoadOptions(args);
        await using var store = await StoreAccess.OpenAsync(options, context.CancellationToken);
        var count = await store.Queue.RetryAsync(id, DateTimeOffset.UtcNow, context.CancellationToken);
        if (id is not null && count == 0)
        {
            throw NotFound(id.Value);
        }

        if (args.Has("json"))
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

        return CliApp.ExitOk;
    }

    private static async Task<int> DropAsync(CommandContext context, ParsedArguments args)
    {
        var id = args.Ids()[0];
        var options = StoreAccess.LoadOptions(args);
        await using var store = await StoreAccess.OpenAsync(options, context.CancellationToken);
        if (!await store.Queue.RemoveAsync(id, context.CancellationToken))
        {
            throw NotFound(id);
        }

        if (args.Has("json"))
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

        return CliApp.ExitOk;
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
