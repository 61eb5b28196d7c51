using System.CommandLine;
using System.Globalization;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Protocol.Errors;
using Butterfly.Storage;

namespace Butterfly.Cli.Users;

/// <summary><c>butterfly user add|list|passwd|del</c>: account administration on the data folder.</summary>
internal static class UserCommands
{
    public static Command Build(CommandContext context, CommonOptions o) => new("user", "accounts, on the data folder directly (daemon running or not)")
    {
        Add(context, o),
        List(context, o),
        Passwd(context, o),
        Del(context, o),
    };

    private static Command Add(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var domains = StoreAccess.DomainOption("a served domain (repeatable; as for serve, replaces the configured list)");
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
        address = AccountRules.CheckAddress(address, options);
        var password = await PasswordReader.ReadAsync(context, new PasswordSource(passwordStdin), $"Password for {address}: ", confirm: true);
        AccountRules.CheckPassword(password);
        await using var store = await StoreAccess.OpenOrCreateAsync(options, context.CancellationToken);
        var result = await store.Accounts.CreateAsync(address, password, context.CancellationToken);
        Check(result.Error, address);
        return await DoneAsync(context, json, "created", result.Value!.Address);
    }

    private static async Task<int> ListAsync(CommandContext context, StoreArgs storeArgs, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var store = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var accounts = await store.Accounts.ListAsync(context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartArray();
                foreach (var account in accounts)
                {
                    w.WriteStartObject();
                    w.WriteString("address", account.Address);
                    w.WriteString("created", account.Created.ToString("o", CultureInfo.InvariantCulture));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return ExitCodes.Ok;
        }

        foreach (var account in accounts)
        {
            await context.Out.WriteLineAsync(account.Address);
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> PasswdAsync(CommandContext context, StoreArgs storeArgs, string address, bool passwordStdin, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var store = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        if (await store.Accounts.FindAsync(address, context.CancellationToken) is null)
        {
            throw new CliFailure(ErrorCode.AccountNotFound.ToWire(), $"No account {address}.");
        }

        var password = await PasswordReader.ReadAsync(context, new PasswordSource(passwordStdin), $"New password for {address}: ", confirm: true);
        AccountRules.CheckPassword(password);
        var result = await store.Accounts.SetPasswordAsync(address, password, context.CancellationToken);
        Check(result.Error, address);
        return await DoneAsync(context, json, "password changed for", result.Value!.Address);
    }

    private static async Task<int> DeleteAsync(CommandContext context, StoreArgs storeArgs, string address, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var store = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var result = await store.Accounts.DeleteAsync(address, context.CancellationToken);
        Check(result.Error, address);
        return await DoneAsync(context, json, "deleted", result.Value!.Address);
    }

    /// <summary>Prints <c>VERB ADDRESS</c>, or <c>{"address": ADDRESS}</c> with --json.</summary>
    private static async Task<int> DoneAsync(CommandContext context, bool json, string verb, string address)
    {
        await JsonOutput.PrintAsync(context.Out, json, JsonOutput.Object(("address", address)), $"{verb} {address}\n");
        return ExitCodes.Ok;
    }

    private static void Check(StoreError error, string address)
    {
        switch (error)
        {
            case StoreError.None:
                return;
            case StoreError.AccountNotFound:
                throw new CliFailure(ErrorCode.AccountNotFound.ToWire(), $"No account {address}.");
            case StoreError.AccountExists:
                throw new CliFailure(ErrorCode.AccountExists.ToWire(), $"An account {address} exists already.");
            default:
                throw new CliFailure(ErrorCode.ServerInternal.ToWire(), $"The store refused the change ({error}).");
        }
    }
}
