using System.CommandLine;
using System.Text.Json;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Cli.Users;
using Names = Butterfly.Server.Control.ControlCommandNames;

namespace Butterfly.Cli.Addresses;

/// <summary><c>butterfly alias add|list|del</c>: aliases and catch-alls, through the running daemon or on the data folder.</summary>
internal static class AliasCommands
{
    public static Command Build(CommandContext context, CommonOptions o) => new("alias", "aliases and catch-alls (through the running daemon, or on the data folder when none runs)")
    {
        Add(context, o),
        List(context, o),
        Del(context, o),
    };

    private static Command Add(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var to = new Option<string[]>("--to")
        {
            Description = "an account the alias delivers to (repeatable)",
            HelpName = "ACCOUNT",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
            Validators = { Values.NotBlank },
        };
        var command = new Command("add", "add an alias (local@domain), or a domain's catch-all (@domain), delivering to accounts") { address, to, o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => AddAsync(context, StoreAccess.Args(parse, o), parse.GetValue(address)!, parse.GetValue(to)!, parse.GetValue(o.Json)));
        return command;
    }

    private static Command List(CommandContext context, CommonOptions o)
    {
        var command = new Command("list", "list the aliases with their accounts") { o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => ListAsync(context, StoreAccess.Args(parse, o), parse.GetValue(o.Json)));
        return command;
    }

    private static Command Del(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var command = new Command("del", "delete an alias or catch-all (the accounts keep their mail)") { address, o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => DeleteAsync(context, StoreAccess.Args(parse, o), parse.GetValue(address)!, parse.GetValue(o.Json)));
        return command;
    }

    private static Argument<string> Address() => new("ADDRESS")
    {
        Description = "the alias, local@domain, or @domain for the domain's catch-all",
        Validators = { Values.NotBlank },
    };

    private static async Task<int> AddAsync(CommandContext context, StoreArgs storeArgs, string address, string[] to, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var channel = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var reply = await channel.CallAsync(Names.AliasAdd, w =>
        {
            w.WriteString("address"u8, address);
            JsonOutput.WriteStrings(w, "to", to);
        }, context.CancellationToken);
        return await PrintAsync(context, json, reply, "added");
    }

    private static async Task<int> ListAsync(CommandContext context, StoreArgs storeArgs, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var channel = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var aliases = (await channel.CallAsync(Names.AliasList, null, context.CancellationToken)).GetProperty("aliases");
        if (json)
        {
            // Each alias as the daemon describes it: {"address": ..., "accounts": [...]}.
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartArray();
                foreach (var alias in aliases.EnumerateArray())
                {
                    alias.WriteTo(w);
                }

                w.WriteEndArray();
            });
            return ExitCodes.Ok;
        }

        foreach (var alias in aliases.EnumerateArray())
        {
            await context.Out.WriteLineAsync(Line(alias));
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> DeleteAsync(CommandContext context, StoreArgs storeArgs, string address, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var channel = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var reply = await channel.CallAsync(Names.AliasDel, w => w.WriteString("address"u8, address), context.CancellationToken);
        return await PrintAsync(context, json, reply, "deleted");
    }

    private static async Task<int> PrintAsync(CommandContext context, bool json, JsonElement reply, string verb)
    {
        if (json)
        {
            await OperatorReply.WriteAsync(context.Out, reply);
        }
        else
        {
            await context.Out.WriteLineAsync($"{verb} {Line(reply)}");
        }

        return ExitCodes.Ok;
    }

    /// <summary><c>team@example.org -> alice@example.org, bob@example.org</c>.</summary>
    private static string Line(JsonElement alias) =>
        $"{alias.GetProperty("address").GetString()} -> {string.Join(", ", OperatorReply.Strings(alias, "accounts"))}";
}
