using Butterfly.Bench;
using Butterfly.Cli.Arguments;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Mail;
using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Bench;

/// <summary><c>butterfly bench ping|send|relay</c>: a load tool, run by hand (never a timed test).</summary>
internal static class BenchCommand
{
    private static readonly IReadOnlyList<OptionSpec> _common = MailOptions.With(
        OptionSpec.Value("clients", "N", "connections, each logged in (default 32)"),
        OptionSpec.Value("pipeline", "N", "requests in flight per connection (default: ping 16, send 1)"),
        OptionSpec.Value("count", "N", "measure this many requests instead of a duration"),
        OptionSpec.Value("duration", "SECONDS", "how long to measure (default 10)"),
        OptionSpec.Value("warmup", "SECONDS", "run this long before measuring (default 1)"),
        MailOptions.Json);

    public static IReadOnlyList<CommandDefinition> Definitions { get; } =
    [
        new()
        {
            Name = "bench ping",
            Summary = "load test: pipelined pings",
            Description = "Opens --clients connections, logs each in, keeps --pipeline pings in flight on each,\n"
                + "and prints the requests completed, throughput, latency p50/p99/max and errors.",
            Options = [.. _common, OptionSpec.Value("engine", "raw|library", "raw: a lean pipelined loop per socket (default); library: ButterflyClient.RequestAsync")],
            RunAsync = (context, args) => RunAsync("ping", context, args),
        },
        new()
        {
            Name = "bench send",
            Summary = "load test: send messages",
            Description = "Opens --clients connections, logs each in, and sends messages of --size bytes to\n"
                + "--to (default: the user itself) in a loop, one in flight per connection unless --pipeline.",
            Options = [.. _common,
                OptionSpec.Value("size", "BYTES", "message size (default 10240)"),
                OptionSpec.Value("to", "ADDRESS", "the recipient (default: the user itself)")],
            RunAsync = (context, args) => RunAsync("send", context, args),
        },
        RelayBench.Definition,
    ];

    private static async Task<int> RunAsync(string mode, CommandContext context, ParsedArguments args)
    {
        var endpoint = MailConnection.Endpoint(context, args);
        var user = MailConnection.User(context, args);
        if (args.Has("count") && args.Has("duration"))
        {
            throw new UsageException("choose one of --count and --duration.");
        }

        var engine = args.Value("engine") ?? "raw";
        if (engine is not ("raw" or "library"))
        {
            throw new UsageException($"--engine is raw or library, not '{engine}'.");
        }

        var settings = new BenchSettings
        {
            Mode = mode == "ping" ? BenchMode.Ping : BenchMode.Send,
            Host = endpoint.Host,
            Port = endpoint.Port,
            User = user,
            Password = await PasswordReader.ReadAsync(context, args, "BUTTERFLY_PASSWORD", $"Password for {user}: "),
            Clients = (int)args.Int64("clients", 32, 1, 10_000),
            Pipeline = (int)args.Int64("pipeline", mode == "ping" ? 16 : 1, 1, 4096),
            Size = (int)args.Int64("size", 10240, 64, 64 << 20),
            To = args.Value("to") ?? user,
            Engine = engine == "raw" ? BenchEngine.Raw : BenchEngine.Library,
            Count = args.Has("count") ? args.Int64("count", 0, 1) : null,
            Duration = TimeSpan.FromSeconds(args.Seconds("duration", 10, 0.1)),
            Warmup = TimeSpan.FromSeconds(args.Seconds("warmup", 1, 0)),
        };
        var progress = args.Has("json") ? TextWriter.Null : context.Error;
        var result = await BenchRunner.RunAsync(settings, progress, context.CancellationToken);
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
