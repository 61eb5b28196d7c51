using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.Cli.Addresses;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Mail;
using Butterfly.Cli.Rendering;
using Butterfly.Cli.Users;
using Butterfly.Client;
using Requests = Butterfly.Protocol.Contracts.Commands;
using Names = Butterfly.Server.Control.ControlCommandNames;

namespace Butterfly.Cli.Scripts;

/// <summary>
/// <c>butterfly script allow|disallow|put|get|list|delete|logs|state|test</c>: programmable addresses.
/// <c>allow</c>, <c>disallow</c> (and <c>list --all</c>) are the operator's, through the running daemon
/// or the data folder; the others are the owner's, over the client protocol (--server, --user, --password).
/// </summary>
internal static class ScriptCommands
{
    public static Command Build(CommandContext context, CommonOptions o) =>
        new("script", "programmable addresses: JavaScript run on the mail an address receives (the operator allows an address; its owner manages the script)")
        {
            Allow(context, o),
            Disallow(context, o),
            Put(context, o),
            Get(context, o),
            List(context, o),
            Delete(context, o),
            ScriptLogCommand.Build(context, o),
            State(context, o),
            Test(context, o),
        };

    private static Command Allow(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var owner = new Option<string>("--owner") { Description = "the account that owns the address's script", HelpName = "ACCOUNT", Required = true, Validators = { Values.NotBlank } };
        var command = new Command("allow", "let an address on a served domain have a script, owned by an account (operator)") { address, owner, o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => OperatorAsync(context, StoreAccess.Args(parse, o), Names.ScriptAllow, w =>
        {
            w.WriteString("address"u8, parse.GetValue(address));
            w.WriteString("owner"u8, parse.GetValue(owner));
        }, parse.GetValue(o.Json), r => $"allowed {Text(r, "address")} (owner {Text(r, "owner")})"));
        return command;
    }

    private static Command Disallow(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var command = new Command("disallow", "take an address off the list of scripted addresses; its script, state and log are deleted (operator)") { address, o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => OperatorAsync(
            context, StoreAccess.Args(parse, o), Names.ScriptDisallow, w => w.WriteString("address"u8, parse.GetValue(address)), parse.GetValue(o.Json), r => $"disallowed {Text(r, "address")}"));
        return command;
    }

    private static Command Put(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var file = new Argument<FileInfo>("FILE") { Description = "the script, JavaScript (a plain script or an ES module exporting onMessage and/or onSchedule)" };
        var command = new Command("put", "store (or replace) an address's script; it is parsed first, and one that does not parse leaves the old one") { address, file, o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, async parse =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new UsageException($"No such file: {path.FullName}");
            }

            var source = await File.ReadAllBytesAsync(path.FullName, context.CancellationToken);
            var reply = await CallAsync(context, o, parse, Head(Requests.ScriptPut, parse.GetValue(address)!), source);
            return await PrintAsync(context, parse.GetValue(o.Json), reply, r =>
                $"stored version {Number(r, "version")} of the script of {Text(r, "address")}"
                + (Text(r, "schedule") is { Length: > 0 } schedule ? $"; schedule {schedule}, next run {Text(r, "nextRun")}" : string.Empty));
        });
        return command;
    }

    private static Command Get(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var command = new Command("get", "print an address's script (with --json, its version, hash and schedule too)") { address, o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, async parse =>
        {
            var reply = await CallAsync(context, o, parse, Head(Requests.ScriptGet, parse.GetValue(address)!));
            return await PrintAsync(context, parse.GetValue(o.Json), reply, r => Text(r, "source").TrimEnd('\n'));
        });
        return command;
    }

    private static Command List(CommandContext context, CommonOptions o)
    {
        var all = new Option<bool>("--all") { Description = "every allowed address on the server, through the daemon's control socket (operator)" };
        var command = new Command("list", "the addresses you may script, with their scripts (--all: every one, operator)") { all, o.Json };
        o.AddConnection(command);
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, async parse =>
        {
            JsonElement reply;
            if (parse.GetValue(all))
            {
                var args = StoreAccess.Args(parse, o);
                await using var channel = await StoreAccess.OpenExistingAsync(args, StoreAccess.LoadOptions(args), context.CancellationToken);
                reply = await channel.CallAsync(Names.ScriptAddresses, null, context.CancellationToken);
            }
            else
            {
                reply = await CallAsync(context, o, parse, new JsonObject { ["cmd"] = Requests.ScriptList });
            }

            return await PrintAsync(context, parse.GetValue(o.Json), reply, r =>
            {
                var rows = r.GetProperty("scripts").EnumerateArray().Select(s =>
                    $"{Text(s, "address"),-32} {Text(s, "owner"),-28} "
                    + (s.GetProperty("version").ValueKind == JsonValueKind.Null ? "no script" : $"v{Number(s, "version")}")
                    + (Text(s, "schedule") is { Length: > 0 } schedule ? $"  {schedule}" : string.Empty)
                    + (Number(s, "held") > 0 ? $"  {Number(s, "held")} waiting" : string.Empty)).ToArray();
                return rows.Length == 0 ? "no scripted addresses" : string.Join(Environment.NewLine, rows);
            });
        });
        return command;
    }

    private static Command Delete(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var command = new Command("delete", "delete an address's script with its state and log (the address stays allowed)") { address, o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, async parse =>
        {
            var reply = await CallAsync(context, o, parse, Head(Requests.ScriptDelete, parse.GetValue(address)!));
            return await PrintAsync(context, parse.GetValue(o.Json), reply, r => $"deleted the script of {Text(r, "address")}");
        });
        return command;
    }

    private static Command State(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var set = new Option<FileInfo?>("--set") { Description = "replace the state with this file's JSON object", HelpName = "FILE.json" };
        var command = new Command("state", "print a script's state (the JSON its runs keep), or replace it") { address, set, o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, async parse =>
        {
            var head = Head(Requests.ScriptState, parse.GetValue(address)!);
            if (parse.GetValue(set) is { } file)
            {
                if (!file.Exists)
                {
                    throw new UsageException($"No such file: {file.FullName}");
                }

                try
                {
                    head["set"] = JsonNode.Parse(await File.ReadAllBytesAsync(file.FullName, context.CancellationToken));
                }
                catch (JsonException ex)
                {
                    throw new UsageException($"{file.FullName} is not JSON: {ex.Message}");
                }
            }

            // The state is JSON already: printed as JSON with or without --json.
            var reply = await CallAsync(context, o, parse, head);
            await JsonOutput.WriteAsync(context.Out, w => reply.GetProperty("state").WriteTo(w));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Test(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var file = new Option<FileInfo>("--file") { Description = "the message to run the script on (RFC 5322, e.g. a .eml file)", HelpName = "MESSAGE.eml", Required = true };
        var sender = new Option<string?>("--sender") { Description = "the envelope sender the script sees (default: none)", HelpName = "ADDRESS" };
        var command = new Command("test", "a dry run: what the script would send, file and store for a message; nothing is committed") { address, file, sender, o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, async parse =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new UsageException($"No such file: {path.FullName}");
            }

            var head = Head(Requests.ScriptTest, parse.GetValue(address)!);
            if (parse.GetValue(sender) is { } from)
            {
                head["sender"] = from;
            }

            var reply = await CallAsync(context, o, parse, head, await File.ReadAllBytesAsync(path.FullName, context.CancellationToken));
            return await PrintAsync(context, parse.GetValue(o.Json), reply, ScriptLogCommand.DescribeTest);
        });
        return command;
    }

    private static Argument<string> Address() => new("ADDRESS") { Description = "the scripted address, local@domain", Validators = { Values.NotBlank } };

    private static JsonObject Head(string command, string address) => new() { ["cmd"] = command, ["address"] = address };

    /// <summary>Logs in as the owner, sends one request and returns its head; a refusal throws (exit code 1).</summary>
    internal static async Task<JsonElement> CallAsync(CommandContext context, CommonOptions o, ParseResult parse, JsonObject head, ReadOnlyMemory<byte> body = default)
    {
        await using var client = await MailConnection.LoginAsync(context, o.Connection(parse));
        var reply = await client.RequestAsync(head, body, null, context.CancellationToken);
        return reply.EnsureOk().Head.Clone();
    }

    private static async Task<int> OperatorAsync(
        CommandContext context, StoreArgs storeArgs, string command, Action<Utf8JsonWriter> fields, bool json, Func<JsonElement, string> text)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var channel = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var reply = await channel.CallAsync(command, fields, context.CancellationToken);
        return await PrintAsync(context, json, reply, text);
    }

    private static async Task<int> PrintAsync(CommandContext context, bool json, JsonElement reply, Func<JsonElement, string> text)
    {
        if (json)
        {
            await OperatorReply.WriteAsync(context.Out, reply);
        }
        else
        {
            await context.Out.WriteLineAsync(text(reply));
        }

        return ExitCodes.Ok;
    }

    internal static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    internal static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
