using System.Globalization;
using System.Text;
using System.Text.Json;
using Butterfly.Cli.Arguments;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Mail;
using Butterfly.Cli.Rendering;
using Butterfly.Client;

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
        var settings = new BenchSettings
        {
            Mode = mode,
            Host = endpoint.Host,
            Port = endpoint.Port,
            User = user,
            Password = "",
            Clients = (int)args.Int64("clients", 32, 1, 10_000),
            Pipeline = (int)args.Int64("pipeline", mode == "ping" ? 16 : 1, 1, 4096),
            Size = (int)args.Int64("size", 10240, 64, 64 << 20),
            To = args.Value("to") ?? user,
            Count = args.Has("count") ? args.Int64("count", 0, 1) : null,
            Duration = TimeSpan.FromSeconds(args.Seconds("duration", 10, 0.1)),
            Warmup = TimeSpan.FromSeconds(args.Seconds("warmup", 1, 0)),
        };
        if (args.Has("count") && args.Has("duration"))
        {
            throw new UsageException("choose one of --count and --duration.");
        }

        settings = settings with { Password = await PasswordReader.ReadAsync(context, args, "BUTTERFLY_PASSWORD", $"Password for {user}: ") };
        byte[] head;
        byte[] body;
        if (mode == "ping")
        {
            head = ButterflyClient.PingHead.ToArray();
            body = [];
        }
        else
        {
            head = SendHead(settings.To!);
            body = BenchMessage.Create(user, settings.To!, settings.Size);
        }

        var progress = args.Has("json") ? TextWriter.Null : context.Error;
        var engine = args.Value("engine") ?? "raw";
        if (engine is not ("raw" or "library"))
        {
            throw new UsageException($"--engine is raw or library, not '{engine}'.");
        }

        var result = mode == "ping" && engine == "raw"
            ? await BenchRunner.RunRawPingAsync(settings, progress, context.CancellationToken)
            : await BenchRunner.RunAsync(settings, head, body, progress, context.CancellationToken);
        if (args.Has("json"))
        {
            await JsonOutput.WriteAsync(context.Out, w => WriteJson(w, result));
        }
        else
        {
            await context.Out.WriteAsync(Describe(result));
        }

        return result.Errors == 0 ? CliApp.ExitOk : CliApp.ExitFailure;
    }

    private static byte[] SendHead(string to)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("cmd", "send");
            writer.WriteStartArray("rcpt");
            writer.WriteStringValue(to);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    internal static string Describe(BenchResult result)
    {
        var s = result.Settings;
        var unit = s.Mode == "ping" ? "requests" : "messages";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"bench {s.Mode}: {s.Clients} clients x {s.Pipeline} in flight{(s.Mode == "send" ? $", {s.Size} bytes" : "")}, {result.Elapsed.TotalSeconds:0.00} s measured");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {unit,-11}{result.Requests:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"throughput",-11}{result.Throughput:N0} /s");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"latency",-11}p50 {result.Latency.P50:0.000} ms   p99 {result.Latency.P99:0.000} ms   max {result.Latency.Max:0.000} ms");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"errors",-11}{result.Errors:N0}");
        return text.ToString();
    }

    private static void WriteJson(Utf8JsonWriter w, BenchResult result)
    {
        var s = result.Settings;
        w.WriteStartObject();
        w.WriteString("mode", s.Mode);
        w.WriteNumber("clients", s.Clients);
        w.WriteNumber("pipeline", s.Pipeline);
        if (s.Mode == "send")
        {
            w.WriteNumber("size", s.Size);
        }

        w.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
        w.WriteNumber("requests", result.Requests);
        w.WriteNumber("throughput", Math.Round(result.Throughput, 1));
        w.WriteStartObject("latencyMs");
        w.WriteNumber("p50", Math.Round(result.Latency.P50, 3));
        w.WriteNumber("p99", Math.Round(result.Latency.P99, 3));
        w.WriteNumber("max", Math.Round(result.Latency.Max, 3));
        w.WriteNumber("mean", Math.Round(result.Latency.Mean, 3));
        w.WriteEndObject();
        w.WriteNumber("errors", result.Errors);
        w.WriteEndObject();
    }
}
