using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Mail;
using Butterfly.Cli.Rendering;
using Requests = Butterfly.Protocol.Contracts.Commands;

namespace Butterfly.Cli.Scripts;

/// <summary>
/// <c>butterfly script logs ADDRESS [--follow] [--json]</c>: a script's runs (their outcome, effects,
/// errors and limit hits, whether they were committed). <c>--follow</c> keeps the connection and asks
/// for the runs after the last one shown (<c>since</c>) once a second until interrupted; with
/// <c>--json</c> each run is one JSON object per line.
/// </summary>
internal static class ScriptLogCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var address = new Argument<string>("ADDRESS") { Description = "the scripted address, local@domain", Validators = { Values.NotBlank } };
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing runs as they happen, until interrupted" };
        var limit = new Option<int>("--limit") { Description = "how many of the latest runs to print first (1 to 1000)", DefaultValueFactory = _ => 20 };
        var command = new Command("logs", "a script's runs: outcome, effects, errors and limit hits, committed or not") { address, follow, limit, o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, async parse =>
        {
            var json = parse.GetValue(o.Json);
            var max = parse.GetValue(limit);
            if (max is < 1 or > 1000)
            {
                throw new UsageException("--limit must be 1 to 1000.");
            }

            await using var client = await MailConnection.LoginAsync(context, o.Connection(parse));
            var head = new JsonObject { ["cmd"] = Requests.ScriptLogs, ["address"] = parse.GetValue(address), ["limit"] = max };
            var reply = (await client.RequestAsync(head, default, null, context.CancellationToken)).EnsureOk().Head.Clone();
            if (!parse.GetValue(follow))
            {
                if (json)
                {
                    await JsonOutput.WriteAsync(context.Out, w => reply.GetProperty("runs").WriteTo(w));
                }
                else
                {
                    await PrintRunsAsync(context, reply, json: false);
                }

                return ExitCodes.Ok;
            }

            await PrintRunsAsync(context, reply, json);
            var since = reply.GetProperty("last").GetInt64();
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), context.CancellationToken);
                head = new JsonObject { ["cmd"] = Requests.ScriptLogs, ["address"] = parse.GetValue(address), ["since"] = since, ["limit"] = 1000 };
                reply = (await client.RequestAsync(head, default, null, context.CancellationToken)).EnsureOk().Head.Clone();
                await PrintRunsAsync(context, reply, json);
                since = reply.GetProperty("last").GetInt64();
            }
        });
        return command;
    }

    private static async Task PrintRunsAsync(CommandContext context, JsonElement reply, bool json)
    {
        foreach (var run in reply.GetProperty("runs").EnumerateArray())
        {
            if (json)
            {
                var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer, JsonOutput.CompactOptions))
                {
                    run.WriteTo(writer);
                }

                await context.Out.WriteLineAsync(Encoding.UTF8.GetString(buffer.ToArray()));
            }
            else
            {
                await context.Out.WriteLineAsync(Describe(run));
            }
        }

        await context.Out.FlushAsync(context.CancellationToken);
    }

    /// <summary>One line per run: when, what triggered it, the outcome, committed or not, its cost, its effects and error.</summary>
    public static string Describe(JsonElement run)
    {
        var line = new StringBuilder()
            .Append(ScriptCommands.Text(run, "at")).Append(' ')
            .Append(ScriptCommands.Text(run, "trigger")).Append(' ')
            .Append(ScriptCommands.Text(run, "outcome"))
            .Append(run.GetProperty("committed").GetBoolean() ? " committed" : " not committed")
            .Append(ScriptCommands.Invariant($" ({ScriptCommands.Number(run, "elapsedMicroseconds") / 1000.0:0.###} ms, {ScriptCommands.Number(run, "statements")} statements)"));
        if (ScriptCommands.Text(run, "sender") is { Length: > 0 } sender)
        {
            line.Append(" from ").Append(sender);
        }

        if (run.TryGetProperty("effects", out var effects) && effects.ValueKind == JsonValueKind.Array && effects.GetArrayLength() > 0)
        {
            line.Append("; ").Append(Effects(effects));
        }

        if (ScriptCommands.Text(run, "error") is { Length: > 0 } error)
        {
            line.Append("; error: ").Append(error);
        }

        if (run.TryGetProperty("log", out var log) && log.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in log.EnumerateArray())
            {
                line.Append(Environment.NewLine).Append("    log: ").Append(entry.GetString());
            }
        }

        return line.ToString();
    }

    /// <summary>A dry run's answer, for people.</summary>
    public static string DescribeTest(JsonElement reply)
    {
        var text = new StringBuilder()
            .Append("outcome: ").Append(ScriptCommands.Text(reply, "outcome"))
            .Append(ScriptCommands.Invariant($" ({ScriptCommands.Number(reply, "elapsedMicroseconds") / 1000.0:0.###} ms, {ScriptCommands.Number(reply, "statements")} statements)"));
        if (reply.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            text.AppendLine().Append("error: ").Append(ScriptCommands.Text(error, "kind")).Append(": ").Append(ScriptCommands.Text(error, "message"));
        }

        foreach (var effect in reply.GetProperty("effects").EnumerateArray())
        {
            text.AppendLine().Append("would ").Append(Effect(effect));
        }

        if (reply.GetProperty("stateChanged").GetBoolean())
        {
            text.AppendLine().Append("would store the state: ").Append(reply.GetProperty("state").GetRawText());
        }

        foreach (var entry in reply.GetProperty("log").EnumerateArray())
        {
            text.AppendLine().Append("log: ").Append(entry.GetString());
        }

        return text.ToString();
    }

    private static string Effects(JsonElement effects) => string.Join(", ", effects.EnumerateArray().Select(Effect));

    private static string Effect(JsonElement effect) => ScriptCommands.Text(effect, "kind") switch
    {
        "send" => $"send \"{ScriptCommands.Text(effect, "subject")}\" to {string.Join(", ", Addresses(effect, "to").Concat(Addresses(effect, "cc")))}",
        "forward" => $"forward to {string.Join(", ", Addresses(effect, "to"))}",
        "fileInto" => $"file into {ScriptCommands.Text(effect, "folder")}",
        "reject" => $"reject: {ScriptCommands.Text(effect, "reason")}",
        var other => other,
    };

    private static IEnumerable<string> Addresses(JsonElement effect, string name) =>
        effect.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().Select(a => a.GetString() ?? string.Empty) : [];
}
