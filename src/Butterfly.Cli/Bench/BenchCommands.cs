using System.CommandLine;
using Butterfly.Bench;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Mail;
using Butterfly.Cli.Rendering;
using Butterfly.Client;

namespace Butterfly.Cli.Bench;

/// <summary><c>butterfly bench ping|send|relay|push|memory|login</c>: the load tool (Butterfly.Bench), run by hand, never a timed test.</summary>
internal static class BenchCommands
{
    public static Command Build(CommandContext context, CommonOptions o) => new("bench", "load tests against a running server")
    {
        Load(context, o, BenchMode.Ping),
        Load(context, o, BenchMode.Send),
        Relay(context, o),
        Push(context, o),
        Memory(context, o),
        BenchLoginCommand.Build(context, o),
    };

    private static Command Load(CommandContext context, CommonOptions o, BenchMode mode)
    {
        var ping = mode == BenchMode.Ping;
        var clients = Values.WholeNumber("--clients", "connections, each logged in", 32, 1, 10_000);
        var pipeline = Values.WholeNumber("--pipeline", "requests in flight per connection", ping ? 16 : 1, 1, 4096);
        var count = Values.OptionalWholeNumber("--count", "N", "measure this many requests instead of a duration", 1);
        var duration = Values.Seconds("--duration", "how long to measure", 10, 0.1);
        var warmup = Values.Seconds("--warmup", "run this long before measuring", 1, 0);
        var engine = new Option<BenchEngine>("--engine")
        {
            Description = "raw: a lean pipelined loop per socket; library: ButterflyClient.RequestAsync",
            DefaultValueFactory = _ => BenchEngine.Raw,
        };
        var size = Values.WholeNumber("--size", "message size in bytes", 10240, 64, 64 << 20);
        var to = new Option<string?>("--to") { Description = "the recipient (default: the user itself)", HelpName = "ADDRESS" };
        var spread = ServerOption<string[]>("--spread", "another daemon of the same installation (repeatable): the connections are spread evenly over --server and these");
        spread.AllowMultipleArgumentsPerToken = false;
        var alsoUser = new Option<string[]>("--also-user")
        {
            Description = "another account with the same password (repeatable): connections alternate over --user and these, each sending to itself unless --to is given",
            HelpName = "ADDRESS",
        };
        var command = ping
            ? new Command(
                "ping",
                "load test: --clients connections keep --pipeline pings in flight; prints throughput and latency")
            {
                engine,
            }
            : new Command(
                "send",
                "load test: --clients connections send messages of --size bytes to --to in a loop")
            {
                size, to,
            };
        command.Options.Add(spread);
        command.Options.Add(alsoUser);
        command.Options.Add(clients);
        command.Options.Add(pipeline);
        command.Options.Add(count);
        command.Options.Add(duration);
        command.Options.Add(warmup);
        command.Options.Add(o.Json);
        o.AddConnection(command);
        command.Validators.Add(result =>
        {
            if (Values.Given(result, count) && Values.Given(result, duration))
            {
                result.AddError("choose one of --count and --duration.");
            }
        });
        CliAction.Set(command, context, o, parse => LoadAsync(
            context,
            o.Connection(parse),
            new BenchSettings
            {
                Mode = mode,
                Host = "",
                Port = 0,
                User = "",
                Password = "",
                Clients = (int)parse.GetValue(clients),
                Pipeline = (int)parse.GetValue(pipeline),
                Size = (int)parse.GetValue(size),
                To = parse.GetValue(to),
                Engine = parse.GetValue(engine),
                Count = parse.GetValue(count),
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                Warmup = TimeSpan.FromSeconds(parse.GetValue(warmup)),
                Spread = [.. (parse.GetValue(spread) ?? []).Select(Server)],
                MoreUsers = parse.GetValue(alsoUser) ?? [],
            },
            parse.GetValue(o.Json)));
        return command;
    }

    /// <summary>An option that takes HOST:PORT (once, or repeated for an array).</summary>
    private static Option<T> ServerOption<T>(string name, string description)
    {
        var option = new Option<T>(name) { Description = description, HelpName = "HOST:PORT" };
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !ButterflyEndpoint.TryParse(t.Value, out _)))
            {
                result.AddError($"{name} needs HOST:PORT, not '{token.Value}'.");
            }
        });
        return option;
    }

    private static BenchServer Server(string text) =>
        ButterflyEndpoint.TryParse(text, out var parsed) ? new BenchServer(parsed.Host, parsed.Port) : throw new UsageException($"HOST:PORT expected, not '{text}'.");

    private static Command Relay(CommandContext context, CommonOptions o)
    {
        var to = new Option<string>("--to") { Description = "the recipient, on the other server", HelpName = "ADDRESS", Required = true, Validators = { Values.NotBlank } };
        var toServer = ServerOption<string>("--to-server", "the recipient's server");
        toServer.Required = true;
        var toPassword = new Option<string?>("--to-password") { Description = "the recipient's password (env BUTTERFLY_TO_PASSWORD)", HelpName = "PASS" };
        var count = Values.WholeNumber("--count", "messages to send", 5000, 1, 10_000_000);
        var size = Values.WholeNumber("--size", "message size in bytes", 10240, 64, 64 << 20);
        var clients = Values.WholeNumber("--clients", "sending connections, each logged in", 16, 1, 10_000);
        var pipeline = Values.WholeNumber("--pipeline", "sends in flight per connection", 4, 1, 4096);
        var timeout = Values.Seconds("--timeout", "give up waiting for arrivals after this long", 600, 1);
        var command = new Command(
            "relay",
            "load test: send --count messages to --to on another server and time them until all arrived")
        {
            to, toServer, toPassword, count, size, clients, pipeline, timeout, o.Json,
        };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse =>
        {
            var toEndpoint = ButterflyEndpoint.TryParse(parse.GetValue(toServer)!, out var parsed) ? parsed : throw new UsageException("--to-server needs HOST:PORT.");
            return RelayAsync(
                context,
                o.Connection(parse),
                new RelaySettings
                {
                    Host = "",
                    Port = 0,
                    User = "",
                    Password = "",
                    To = parse.GetValue(to)!,
                    ToHost = toEndpoint.Host,
                    ToPort = toEndpoint.Port,
                    ToPassword = parse.GetValue(toPassword) ?? "",
                    Count = (int)parse.GetValue(count),
                    Size = (int)parse.GetValue(size),
                    Clients = (int)parse.GetValue(clients),
                    Pipeline = (int)parse.GetValue(pipeline),
                    Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                },
                parse.GetValue(o.Json));
        });
        return command;
    }

    private static Command Push(CommandContext context, CommonOptions o)
    {
        var to = new Option<string>("--to") { Description = "the recipient, on the same server; its sessions subscribe", HelpName = "ADDRESS", Required = true, Validators = { Values.NotBlank } };
        var toPassword = new Option<string?>("--to-password") { Description = "the recipient's password (env BUTTERFLY_TO_PASSWORD)", HelpName = "PASS" };
        var count = Values.WholeNumber("--count", "messages to send, one at a time", 2000, 1, 10_000_000);
        var watchers = Values.WholeNumber("--watchers", "subscribed sessions of the recipient", 2, 1, 1000);
        var warmup = Values.WholeNumber("--warmup", "sends before measuring", 100, 0, 1_000_000);
        var watchServer = ServerOption<string?>("--watch-server", "connect the recipient's sessions to this daemon (another of the same database: push across daemons); default --server");
        var command = new Command(
            "push",
            "push latency: time from each send's acknowledgement to its message.added event at every subscribed session of the recipient (p50/p99)")
        {
            to, toPassword, count, watchers, warmup, watchServer, o.Json,
        };
        o.AddConnection(command);
        CliAction.Set(command, context, o, async parse =>
        {
            var json = parse.GetValue(o.Json);
            var connection = o.Connection(parse);
            var recipientPassword = parse.GetValue(toPassword) is { Length: > 0 } given ? given : context.Environment("BUTTERFLY_TO_PASSWORD")
                ?? throw new UsageException("the recipient's password is needed: --to-password or BUTTERFLY_TO_PASSWORD.");
            var endpoint = MailConnection.Endpoint(context, connection);
            var user = MailConnection.User(context, connection);
            var password = await PasswordReader.ReadAsync(context, PasswordSource.Client(connection), $"Password for {user}: ");
            var result = await PushRunner.RunAsync(
                new PushSettings
                {
                    Host = endpoint.Host,
                    Port = endpoint.Port,
                    User = user,
                    Password = password,
                    To = parse.GetValue(to)!,
                    ToPassword = recipientPassword,
                    Count = (int)parse.GetValue(count),
                    Watchers = (int)parse.GetValue(watchers),
                    Warmup = (int)parse.GetValue(warmup),
                    WatchServer = parse.GetValue(watchServer) is { } watched ? Server(watched) : null,
                },
                json ? TextWriter.Null : context.Error,
                context.CancellationToken);
            await JsonOutput.PrintAsync(context.Out, json, result.WriteJson, result.Describe());
            return result.Missing == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static Command Memory(CommandContext context, CommonOptions o)
    {
        var pid = Values.WholeNumber("--pid", "the daemon's process id (its /proc/PID/status is read)", 0, 1, int.MaxValue);
        pid.Required = true;
        var scenarios = new Option<MemoryScenario[]>("--scenario")
        {
            Description = "prelogin, postlogin, backlog, idle (repeat to pick several; default all three, in that order)",
            HelpName = "NAME",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result => [.. result.Tokens.Select(t => t.Value switch
            {
                "prelogin" => MemoryScenario.PreLogin,
                "postlogin" => MemoryScenario.PostLogin,
                "backlog" => MemoryScenario.Backlog,
                "idle" => MemoryScenario.Idle,
                _ => Invalid(result, t.Value),
            })],
        };
        var connections = Values.WholeNumber("--connections", "connections of the prelogin, postlogin and idle scenarios", 200, 1, 10_000);
        var frameBytes = Values.WholeNumber("--frame-bytes", "payload the frames announce (the daemon's limits.maxFrameBytes)", 26 << 20, 1024, int.MaxValue);
        var clients = Values.WholeNumber("--clients", "clients of the backlog attack", 3, 1, 1_000);
        var messageBytes = Values.WholeNumber("--message-bytes", "size of the message the backlog attack fetches", 20_000_000, 64, int.MaxValue);
        var requests = Values.WholeNumber("--requests", "fetches each backlog client sends without reading", 2_000, 1, 1_000_000);
        var hold = Values.Seconds("--hold", "how long each attack is held while memory is sampled", 20, 0.1);
        var settle = Values.Seconds("--settle", "how long after each attack before memory is read again", 15, 0);
        var cap = Values.WholeNumber("--stop-above-mb", "call an attack off when the daemon's resident memory passes this", 8192, 1);
        var command = new Command(
            "memory",
            "memory probe: attacks a running daemon (unfinished frames before and after login, fetches never read) and prints its resident memory before, during and after each")
        {
            pid, scenarios, connections, frameBytes, clients, messageBytes, requests, hold, settle, cap, o.Json,
        };
        o.AddConnection(command);
        CliAction.Set(command, context, o, async parse =>
        {
            var connection = o.Connection(parse);
            var endpoint = MailConnection.Endpoint(context, connection);
            var user = MailConnection.User(context, connection);
            var password = await PasswordReader.ReadAsync(context, PasswordSource.Client(connection), $"Password for {user}: ");
            var picked = parse.GetValue(scenarios);
            var settings = new MemorySettings
            {
                Host = endpoint.Host,
                Port = endpoint.Port,
                User = user,
                Password = password,
                ProcessId = (int)parse.GetValue(pid),
                Scenarios = picked is { Length: > 0 } ? picked : [MemoryScenario.PreLogin, MemoryScenario.PostLogin, MemoryScenario.Backlog],
                Connections = (int)parse.GetValue(connections),
                FrameBytes = (int)parse.GetValue(frameBytes),
                BacklogClients = (int)parse.GetValue(clients),
                MessageBytes = (int)parse.GetValue(messageBytes),
                Requests = (int)parse.GetValue(requests),
                Hold = TimeSpan.FromSeconds(parse.GetValue(hold)),
                Settle = TimeSpan.FromSeconds(parse.GetValue(settle)),
                StopAboveBytes = parse.GetValue(cap) << 20,
            };
            var json = parse.GetValue(o.Json);
            var result = await MemoryRunner.RunAsync(settings, json ? TextWriter.Null : context.Error, context.CancellationToken);
            await JsonOutput.PrintAsync(context.Out, json, result.WriteJson, result.Describe());
            return ExitCodes.Ok;
        });
        return command;

        static MemoryScenario Invalid(System.CommandLine.Parsing.ArgumentResult result, string value)
        {
            result.AddError($"--scenario takes prelogin, postlogin, backlog or idle, not '{value}'.");
            return default;
        }
    }

    /// <summary>Fills in the server, the account and the password (settings come with placeholders), runs, prints.</summary>
    private static async Task<int> LoadAsync(CommandContext context, ConnectionArgs connection, BenchSettings settings, bool json)
    {
        var endpoint = MailConnection.Endpoint(context, connection);
        var user = MailConnection.User(context, connection);
        var password = await PasswordReader.ReadAsync(context, PasswordSource.Client(connection), $"Password for {user}: ");
        settings = settings with { Host = endpoint.Host, Port = endpoint.Port, User = user, Password = password };
        var result = await BenchRunner.RunAsync(settings, json ? TextWriter.Null : context.Error, context.CancellationToken);
        await JsonOutput.PrintAsync(context.Out, json, result.WriteJson, result.Describe());
        return result.Errors == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<int> RelayAsync(CommandContext context, ConnectionArgs connection, RelaySettings settings, bool json)
    {
        var toPassword = settings.ToPassword.Length > 0 ? settings.ToPassword : context.Environment("BUTTERFLY_TO_PASSWORD")
            ?? throw new UsageException("the recipient's password is needed: --to-password or BUTTERFLY_TO_PASSWORD.");
        var endpoint = MailConnection.Endpoint(context, connection);
        var user = MailConnection.User(context, connection);
        var password = await PasswordReader.ReadAsync(context, PasswordSource.Client(connection), $"Password for {user}: ");
        settings = settings with { Host = endpoint.Host, Port = endpoint.Port, User = user, Password = password, ToPassword = toPassword };
        var result = await RelayRunner.RunAsync(settings, json ? TextWriter.Null : context.Error, context.CancellationToken);
        if (result.TimedOut)
        {
            throw new CliFailure(
                "timeout",
                $"only {result.Arrived:N0} of {settings.Count - result.Errors:N0} messages arrived within {settings.Timeout.TotalSeconds:0} s of the last send.");
        }

        await JsonOutput.PrintAsync(context.Out, json, result.WriteJson, result.Describe());
        return result.Errors == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
