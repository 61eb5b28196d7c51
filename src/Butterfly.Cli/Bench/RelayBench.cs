using Butterfly.Bench;
using Butterfly.Cli.Arguments;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Mail;
using Butterfly.Cli.Rendering;
using Butterfly.Client;

namespace Butterfly.Cli.Bench;

/// <summary>
/// <c>butterfly bench relay</c>: server-to-server throughput. Sends messages through server A as a
/// user of A to a recipient on server B, and measures until the recipient's Inbox on B holds them
/// all: the end-to-end rate (submission, A's queue, the peer delivery, B's store) and the rate at
/// which A acknowledged the sends.
/// </summary>
internal static class RelayBench
{
    public static CommandDefinition Definition { get; } = new()
    {
        Name = "bench relay",
        Summary = "load test: mail to another server, end to end",
        Usage = "--to ADDRESS --to-server HOST:PORT [options]",
        Description = "Sends --count messages of --size bytes through --server as --user to --to, an account\n"
            + "on another server (--to-server), over --clients connections with --pipeline sends in\n"
            + "flight on each; then polls the recipient's Inbox on --to-server (logged in with\n"
            + "--to-password or BUTTERFLY_TO_PASSWORD) until every message has arrived. Prints the\n"
            + "send acknowledgement rate and the end-to-end delivery rate.",
        Options = MailOptions.With(
            OptionSpec.Value("to", "ADDRESS", "the recipient, on the other server (required)"),
            OptionSpec.Value("to-server", "HOST:PORT", "the recipient's server (required)"),
            OptionSpec.Value("to-password", "PASS", "the recipient's password (env BUTTERFLY_TO_PASSWORD)"),
            OptionSpec.Value("count", "N", "messages to send (default 5000)"),
            OptionSpec.Value("size", "BYTES", "message size (default 10240)"),
            OptionSpec.Value("clients", "N", "sending connections, each logged in (default 16)"),
            OptionSpec.Value("pipeline", "N", "sends in flight per connection (default 4)"),
            OptionSpec.Value("timeout", "SECONDS", "give up waiting for arrivals after this long (default 600)"),
            MailOptions.Json),
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandContext context, ParsedArguments args)
    {
        var to = args.Value("to") ?? throw new UsageException("--to ADDRESS is required.");
        var toServer = args.Value("to-server") ?? throw new UsageException("--to-server HOST:PORT is required.");
        if (!ButterflyEndpoint.TryParse(toServer, out var toEndpoint))
        {
            throw new UsageException($"--to-server needs HOST:PORT, not '{toServer}'.");
        }

        var count = (int)args.Int64("count", 5000, 1, 10_000_000);
        var size = (int)args.Int64("size", 10240, 64, 64 << 20);
        var clients = (int)args.Int64("clients", 16, 1, 10_000);
        var pipeline = (int)args.Int64("pipeline", 4, 1, 4096);
        var timeout = TimeSpan.FromSeconds(args.Seconds("timeout", 600, 1));
        var user = MailConnection.User(context, args);
        var password = await PasswordReader.ReadAsync(context, args, "BUTTERFLY_PASSWORD", $"Password for {user}: ");
        var toPassword = args.Value("to-password") ?? context.Environment("BUTTERFLY_TO_PASSWORD")
            ?? throw new UsageException("the recipient's password is needed: --to-password or BUTTERFLY_TO_PASSWORD.");
        var progress = args.Has("json") ? TextWriter.Null : context.Error;
        var endpoint = MailConnection.Endpoint(context, args);
        var result = await RelayRunner.RunAsync(
            new RelaySettings
            {
                Host = endpoint.Host,
                Port = endpoint.Port,
                User = user,
                Password = password,
                To = to,
                ToHost = toEndpoint.Host,
                ToPort = toEndpoint.Port,
                ToPassword = toPassword,
                Count = count,
                Size = size,
                Clients = clients,
                Pipeline = pipeline,
                Timeout = timeout,
            },
            progress,
            context.CancellationToken);
        if (result.TimedOut)
        {
            throw new CliFailure("timeout", $"only {result.Arrived:N0} of {count - result.Errors:N0} messages arrived within {timeout.TotalSeconds:0} s of the last send.");
        }

        if (args.Has("json"))
        {
            await JsonOutput.WriteAsync(context.Out, result.WriteJson);
        }
        else
        {
            await context.Out.WriteAsync(result.Describe());
        }

        return result.Errors == 0 ? CliApp.ExitOk : CliApp.ExitFailure;
    }
}
