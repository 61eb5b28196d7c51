using System.Globalization;
using Butterfly.Cli.Arguments;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Protocol.Errors;
using Butterfly.Storage;

namespace Butterfly.Cli.Users;

/// <summary><c>butterfly user add|list|passwd|del</c>: account administration on the data folder.</summary>
internal static class UserCommands
{
    private const string Note = "Works on the data folder directly, whether the daemon runs or not.";

    private static readonly OptionSpec _passwordStdin = OptionSpec.Flag("password-stdin", "read the password from the first line of stdin (otherwise a prompt)");

    public static IReadOnlyList<CommandDefinition> Definitions { get; } =
    [
        new()
        {
            Name = "user add",
            Summary = "create an account",
            Usage = "ADDRESS [options]",
            Description = "Creates an account with the default folders. The domain must be one the server\n"
                + "serves and the password at least 8 characters. " + Note,
            Options = [_passwordStdin, StoreAccess.Config, StoreAccess.Data, StoreAccess.Domain],
            MinPositionals = 1,
            MaxPositionals = 1,
            RunAsync = AddAsync,
        },
        new()
        {
            Name = "user list",
            Summary = "list accounts",
            Description = "Lists the accounts. " + Note,
            Options = [OptionSpec.Flag("json", "print JSON for scripts"), StoreAccess.Config, StoreAccess.Data],
            RunAsync = ListAsync,
        },
        new()
        {
            Name = "user passwd",
            Summary = "set an account's password",
            Usage = "ADDRESS [options]",
            Description = "Replaces an account's password. " + Note,
            Options = [_passwordStdin, StoreAccess.Config, StoreAccess.Data],
            MinPositionals = 1,
            MaxPositionals = 1,
            RunAsync = PasswdAsync,
        },
        new()
        {
            Name = "user del",
            Summary = "delete an account with all its mail",
            Usage = "ADDRESS [options]",
            Description = "Deletes an account with its folders and messages, for good. " + Note,
            Options = [StoreAccess.Config, StoreAccess.Data],
            MinPositionals = 1,
            MaxPositionals = 1,
            RunAsync = DeleteAsync,
        },
    ];

    private static async Task<int> AddAsync(CommandContext context, ParsedArguments args)
    {
        var options = StoreAccess.LoadOptions(args);
        var address = AccountRules.CheckAddress(args.Positionals[0], options);
        var password = await PasswordReader.ReadAsync(context, args, null, $"Password for {address}: ", confirm: true);
        AccountRules.CheckPassword(password);
        await using var store = await StoreAccess.OpenAsync(options, context.CancellationToken);
        var result = await store.Accounts.CreateAsync(address, password, context.CancellationToken);
        if (result.Error == StoreError.AccountExists)
        {
            throw new CliFailure(ErrorCode.AccountExists.ToWire(), $"An account {address} exists already.");
        }

        Check(result.Error, address);
        await context.Out.WriteLineAsync($"created {result.Value!.Address}");
        return CliApp.ExitOk;
    }

    private static async Task<int> ListAsync(CommandContext context, ParsedArguments args)
    {
        var options = StoreAccess.LoadOptions(args);
        await using var store = await StoreAccess.OpenAsync(options, context.CancellationToken);
        var accounts = await store.Accounts.ListAsync(context.CancellationToken);
        if (args.Has("json"))
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
            return CliApp.ExitOk;
        }

        foreach (var account in accounts)
        {
            await context.Out.WriteLineAsync(account.Address);
        }

        return CliApp.ExitOk;
    }

    private static async Task<int> PasswdAsync(CommandContext context, ParsedArguments args)
    {
        var options = StoreAccess.LoadOptions(args);
        var address = args.Positionals[0];
        await using var store = await StoreAccess.OpenAsync(options, context.CancellationToken);
        if (await store.Accounts.FindAsync(address, context.CancellationToken) is null)
        {
            throw new CliFailure(ErrorCode.AccountNotFound.ToWire(), $"No account {address}.");
        }

        var password = await PasswordReader.ReadAsync(context, args, null, $"New password for {address}: ", confirm: true);
        AccountRules.CheckPassword(password);
        var result = await store.Accounts.SetPasswordAsync(address, password, context.CancellationToken);
        Check(result.Error, address);
        await context.Out.WriteLineAsync($"password changed for {result.Value!.Address}");
        return CliApp.ExitOk;
    }

    private static async Task<int> DeleteAsync(CommandContext context, ParsedArguments args)
    {
        var options = StoreAccess.LoadOptions(args);
        var address = args.Positionals[0];
        await using var store = await StoreAccess.OpenAsync(options, context.CancellationToken);
        var result = await store.Accounts.DeleteAsync(address, context.CancellationToken);
        Check(result.Error, address);
        await context.Out.WriteLineAsync($"deleted {result.Value!.Address}");
        return CliApp.ExitOk;
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
