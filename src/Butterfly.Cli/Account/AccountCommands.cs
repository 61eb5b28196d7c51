using System.CommandLine;
using Butterfly.Cli.Addresses;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Mail;
using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Account;

/// <summary><c>butterfly account</c> and <c>butterfly passwd</c>: the logged-in user's own account.</summary>
internal static class AccountCommands
{
    public static IEnumerable<Command> Build(CommandContext context, CommonOptions o) => [Show(context, o), Passwd(context, o)];

    private static Command Show(CommandContext context, CommonOptions o)
    {
        var command = new Command("account", "show your account: address, aliases, lists you own, storage used and quota") { o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => ShowAsync(context, o.Connection(parse), parse.GetValue(o.Json)));
        return command;
    }

    private static Command Passwd(CommandContext context, CommonOptions o)
    {
        var newStdin = new Option<bool>("--new-password-stdin")
        {
            Description = "read the new password from the next line of stdin (after the current one, with --password-stdin)",
        };
        var command = new Command("passwd", "change your password (the current one logs in; then the new one, 8 characters or more)") { newStdin, o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => PasswdAsync(context, o.Connection(parse), parse.GetValue(newStdin), parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> ShowAsync(CommandContext context, ConnectionArgs connection, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var account = await client.GetAccountAsync(context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("address"u8, account.Address);
                JsonOutput.WriteStrings(w, "aliases", account.Aliases);
                JsonOutput.WriteStrings(w, "lists", account.Lists);
                w.WriteNumber("usage"u8, account.Usage);
                if (account.Quota is { } quota)
                {
                    w.WriteNumber("quota"u8, quota);
                }
                else
                {
                    w.WriteNull("quota"u8);
                }

                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        await context.Out.WriteLineAsync(account.Address);
        await context.Out.WriteLineAsync($"aliases: {(account.Aliases.Count == 0 ? "none" : string.Join(", ", account.Aliases))}");
        await context.Out.WriteLineAsync($"lists:   {(account.Lists.Count == 0 ? "none" : string.Join(", ", account.Lists))}");
        await context.Out.WriteLineAsync($"storage: {QuotaCommands.Describe(account.Address, account.Usage, account.Quota, null)[(account.Address.Length + 2)..]}");
        return ExitCodes.Ok;
    }

    private static async Task<int> PasswdAsync(CommandContext context, ConnectionArgs connection, bool newStdin, bool json)
    {
        var user = MailConnection.User(context, connection);
        var current = await PasswordReader.ReadAsync(context, PasswordSource.Client(connection), $"Current password for {user}: ");
        var password = await PasswordReader.ReadAsync(context, new PasswordSource(newStdin), $"New password for {user}: ", confirm: true);
        await using var client = await MailConnection.ConnectAsync(context, connection);
        await client.LoginAsync(user, current, context.CancellationToken);
        await client.ChangePasswordAsync(current, password, context.CancellationToken);
        await JsonOutput.PrintAsync(context.Out, json, JsonOutput.Object(("address", user)), $"password changed for {user}\n");
        return ExitCodes.Ok;
    }
}
