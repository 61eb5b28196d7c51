using System.CommandLine;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly register</c>.</summary>
internal static class RegisterCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var address = new Argument<string>("ADDRESS") { Description = "the new account, local@domain", Validators = { Values.NotBlank } };
        var command = new Command(
            "register",
            "create an account on a server with open registration (password: 8 characters or more)")
        {
            address, o.Server, o.Password, o.PasswordStdin, o.Json,
        };
        CliAction.Set(command, context, o, parse => RunAsync(context, o.Connection(parse), parse.GetValue(address)!, parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ConnectionArgs connection, string address, bool json)
    {
        var password = await PasswordReader.ReadAsync(context, PasswordSource.Client(connection), $"New password for {address}: ", confirm: true);
        await using var client = await MailConnection.ConnectAsync(context, connection);
        await client.RegisterAsync(address, password, context.CancellationToken);
        await JsonOutput.PrintAsync(context.Out, json, JsonOutput.Object(("registered", address)), $"registered {address}\n");
        return ExitCodes.Ok;
    }
}
