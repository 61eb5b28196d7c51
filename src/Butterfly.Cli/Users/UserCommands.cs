using System.CommandLine;
using System.Text.Json;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Control;
using Names = Butterfly.Server.Control.ControlCommandNames;

namespace Butterfly.Cli.Users;

/// <summary>
/// <c>butterfly user add|list|passwd|del</c>: account administration, through the daemon's control
/// socket while one runs, on the data folder directly otherwise.
/// </summary>
internal static class UserCommands
{
    public static Command Build(CommandContext context, CommonOptions o) => new("user", "accounts (through the running daemon, or on the data folder when none runs)")
    {
        Add(context, o),
        List(context, o),
        Passwd(context, o),
        Del(context, o),
    };

    private static Command Add(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var domains = StoreAccess.DomainOption("a served domain when no daemon runs (repeatable; as for serve, replaces the configured list; a running daemon checks against its own)");
        var command = new Command(
            "add",
            "create an account (a served domain; password of 8 characters or more)")
        {
            address, o.PasswordStdin, domains, o.Json,
        };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => AddAsync(
            context,
            StoreAccess.Args(parse, o) with { Domains = parse.GetValue(domains)! },
            parse.GetValue(address)!,
            parse.GetValue(o.PasswordStdin),
            parse.GetValue(o.Json)));
        return command;
    }

    private static Command List(CommandContext context, CommonOptions o)
    {
        var command = new Command("list", "list the accounts") { o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => ListAsync(context, StoreAccess.Args(parse, o), parse.GetValue(o.Json)));
        return command;
    }

    private static Command Passwd(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var command = new Command("passwd", "set an account's password")
        {
            address, o.PasswordStdin, o.Json,
        };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => PasswdAsync(
            context, StoreAccess.Args(parse, o), parse.GetValue(address)!, parse.GetValue(o.PasswordStdin), parse.GetValue(o.Json)));
        return command;
    }

    private static Command Del(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var command = new Command("del", "delete an account with all its mail, for good") { address, o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => DeleteAsync(context, StoreAccess.Args(parse, o), parse.GetValue(address)!, parse.GetValue(o.Json)));
        return command;
    }

    private static Argument<string> Address() => new("ADDRESS")
    {
        Description = "the account, local@domain",
        Validators = { Values.NotBlank },
    };

    private static async Task<int> AddAsync(CommandContext context, StoreArgs storeArgs, string address, bool passwordStdin, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        if (!Directory.Exists(options.ResolvedDataDirectory))
        {
            // No daemon holds a folder that does not exist: refuse a bad address before anything creates it.
            CheckAddress(address, options.Domains);
        }

        await using var channel = await StoreAccess.OpenOrCreateAsync(options, context.CancellationToken);

        // Checked before the prompt, against the domains of whoever carries the command out.
        address = CheckAddress(address, channel.Domains);
        var password = await PasswordReader.ReadAsync(context, new PasswordSource(passwordStdin), $"Password for {address}: ", confirm: true);
        var added = await channel.CallAsync(Names.UserAdd, w => Account(w, address, password), context.CancellationToken);
        return await DoneAsync(context, json, "created", added);
    }

    private static async Task<int> ListAsync(CommandContext context, StoreArgs storeArgs, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var channel = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var accounts = (await channel.CallAsync(Names.UserList, null, context.CancellationToken)).GetProperty("accounts");
        if (json)
        {
            // Each account as the daemon describes it: {"address": ..., "created": ...}.
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartArray();
                foreach (var account in accounts.EnumerateArray())
                {
                    account.WriteTo(w);
                }

                w.WriteEndArray();
            });
            return ExitCodes.Ok;
        }

        foreach (var account in accounts.EnumerateArray())
        {
            await context.Out.WriteLineAsync(account.GetProperty("address").GetString());
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> PasswdAsync(CommandContext context, StoreArgs storeArgs, string address, bool passwordStdin, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var channel = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);

        // An unknown account is said before the prompt, not after two passwords typed for nothing.
        await channel.CallAsync(Names.UserShow, w => w.WriteString("address"u8, address), context.CancellationToken);
        var password = await PasswordReader.ReadAsync(context, new PasswordSource(passwordStdin), $"New password for {address}: ", confirm: true);
        var changed = await channel.CallAsync(Names.UserPasswd, w => Account(w, address, password), context.CancellationToken);
        return await DoneAsync(context, json, "password changed for", changed);
    }

    private static async Task<int> DeleteAsync(CommandContext context, StoreArgs storeArgs, string address, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var channel = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var deleted = await channel.CallAsync(Names.UserDel, w => w.WriteString("address"u8, address), context.CancellationToken);
        return await DoneAsync(context, json, "deleted", deleted);
    }

    /// <summary>The address in lower case, or <c>account.invalid-address</c> naming what is wrong.</summary>
    private static string CheckAddress(string address, IReadOnlyList<string> domains) =>
        AccountRules.TryCheckAddress(address, domains, out var normalized, out var problem)
            ? normalized
            : throw new CliFailure(ErrorCode.AccountInvalidAddress.ToWire(), problem);

    private static void Account(Utf8JsonWriter w, string address, string password)
    {
        w.WriteString("address"u8, address);
        w.WriteString("password"u8, password);
    }

    /// <summary>Prints <c>VERB ADDRESS</c>, or <c>{"address": ADDRESS}</c> with --json.</summary>
    private static async Task<int> DoneAsync(CommandContext context, bool json, string verb, JsonElement reply)
    {
        var address = reply.GetProperty("address").GetString()!;
        await JsonOutput.PrintAsync(context.Out, json, JsonOutput.Object(("address", address)), $"{verb} {address}\n");
        return ExitCodes.Ok;
    }
}
