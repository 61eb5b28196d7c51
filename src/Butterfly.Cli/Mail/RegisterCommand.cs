using Butterfly.Cli.Arguments;
using Butterfly.Cli.Commands;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly register</c>.</summary>
internal static class RegisterCommand
{
    public static CommandDefinition Definition { get; } = new()
    {
        Name = "register",
        Summary = "create an account on a server with open registration",
        Usage = "ADDRESS [options]",
        Description = "Creates an account through the server (only when its registration is open; an\n"
            + "administrator uses 'butterfly user add' instead). The password is at least 8 characters.",
        Options = [MailOptions.Server, MailOptions.Password, MailOptions.PasswordStdin],
        MinPositionals = 1,
        MaxPositionals = 1,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandContext context, ParsedArguments args)
    {
        var address = args.Positionals[0];
        var password = await PasswordReader.ReadAsync(context, args, "BUTTERFLY_PASSWORD", $"New password for {address}: ", confirm: true);
        await using var client = await MailConnection.ConnectAsync(context, args);
        await client.RegisterAsync(address, password, context.CancellationToken);
        await context.Out.WriteLineAsync($"registered {address}");
        return CliApp.ExitOk;
    }
}
