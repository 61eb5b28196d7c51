using System.CommandLine;
using System.Net;
using Butterfly.Bench;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Mail;
using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Bench;

/// <summary><c>butterfly bench login</c>: a legitimate user's login latency during a connection flood and password guessing.</summary>
internal static class BenchLoginCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var logins = Values.WholeNumber("--logins", "logins to time, one after another, each on a new connection", 50, 1, 100_000);
        var flood = Values.WholeNumber("--flood", "idle connections the flood keeps open", 0, 0, 60_000);
        var guessers = Values.WholeNumber("--guessers", "connections sending wrong passwords", 0, 0, 10_000);
        var guessAddresses = Values.WholeNumber("--guess-addresses", "consecutive addresses the guessers spread over", 1, 1, 250);
        var warmup = Values.Seconds("--warmup", "run the attack this long before timing", 3, 0);
        var legitFrom = Address("--from", "the address the timed logins come from (default: the system's choice)");
        var floodFrom = Address("--flood-from", "the address the flood comes from (default 127.0.0.2)");
        var guessFrom = Address("--guess-from", "the first address guessers come from (default 127.0.0.3)");
        var guessUser = new Option<string?>("--guess-user") { Description = "the account the guessers try (default: --user)", HelpName = "ADDRESS" };
        var command = new Command(
            "login",
            "load test: time --logins logins of --user while --flood idle connections and --guessers password guessers press on the server")
        {
            logins, flood, guessers, guessAddresses, guessUser, legitFrom, floodFrom, guessFrom, warmup, o.Json,
        };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => RunAsync(
            context,
            o.Connection(parse),
            new LoginAttackSettings
            {
                Host = "",
                Port = 0,
                User = "",
                Password = "",
                Logins = (int)parse.GetValue(logins),
                Flood = (int)parse.GetValue(flood),
                Guessers = (int)parse.GetValue(guessers),
                GuessAddresses = (int)parse.GetValue(guessAddresses),
                GuessUser = parse.GetValue(guessUser),
                LegitFrom = parse.GetValue(legitFrom),
                FloodFrom = parse.GetValue(floodFrom) ?? IPAddress.Parse("127.0.0.2"),
                GuessFrom = parse.GetValue(guessFrom) ?? IPAddress.Parse("127.0.0.3"),
                Warmup = TimeSpan.FromSeconds(parse.GetValue(warmup)),
            },
            parse.GetValue(o.Json)));
        return command;
    }

    private static Option<IPAddress?> Address(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "IP",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return null;
            }

            if (IPAddress.TryParse(result.Tokens[0].Value, out var address))
            {
                return address;
            }

            result.AddError($"{name} needs an IP address, not '{result.Tokens[0].Value}'.");
            return null;
        },
    };

    private static async Task<int> RunAsync(CommandContext context, ConnectionArgs connection, LoginAttackSettings settings, bool json)
    {
        var endpoint = MailConnection.Endpoint(context, connection);
        var user = MailConnection.User(context, connection);
        var password = await PasswordReader.ReadAsync(context, PasswordSource.Client(connection), $"Password for {user}: ");
        settings = settings with { Host = endpoint.Host, Port = endpoint.Port, User = user, Password = password };
        var result = await LoginAttackRunner.RunAsync(settings, json ? TextWriter.Null : context.Error, context.CancellationToken);
        await JsonOutput.PrintAsync(context.Out, json, result.WriteJson, result.Describe());
        return result.Failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
