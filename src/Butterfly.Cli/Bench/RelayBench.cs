using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
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
        var ct = context.CancellationToken;

        await using var reader = await ButterflyClient.ConnectAsync(toEndpoint.Host, toEndpoint.Port, ct: ct);
        await reader.LoginAsync(to, toPassword, ct);
        var baseline = (await reader.ListMessagesAsync("Inbox", 1, ct: ct)).Total;

        var endpoint = MailConnection.Endpoint(context, args);
        var senders = new ButterflyClient[clients];
        for (var i = 0; i < clients; i++)
        {
            senders[i] = await ButterflyClient.ConnectAsync(endpoint.Host, endpoint.Port, ct: ct);
            await senders[i].LoginAsync(user, password, ct);
        }

        try
        {
            var head = SendHead(to);
            var body = BenchMessage.Create(user, to, size);
            var next = -1;
            var errors = 0;
            string? firstError = null;
            await progress.WriteLineAsync($"bench relay: sending {count:N0} messages of {size:N0} bytes to {to} via {endpoint.Host}:{endpoint.Port}");
            var clock = Stopwatch.StartNew();
            var workers = senders.SelectMany(client => Enumerable.Range(0, pipeline).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < count)
                {
                    var reply = await client.RequestAsync(head, body, ct: ct);
                    if (!reply.Ok && Interlocked.Increment(ref errors) == 1)
                    {
                        firstError = $"{reply.Code}: {reply.Message}";
                    }
                }
            }, ct))).ToArray();
            await Task.WhenAll(workers);
            var acked = clock.Elapsed;
            await progress.WriteLineAsync($"  all sends acknowledged after {acked.TotalSeconds:0.00} s; waiting for arrivals on {toServer}");

            var expected = baseline + count - errors;
            long arrived;
            var lastReport = TimeSpan.Zero;
            while ((arrived = (await reader.ListMessagesAsync("Inbox", 1, ct: ct)).Total) < expected)
            {
                if (clock.Elapsed > acked + timeout)
                {
                    throw new CliFailure("timeout", $"only {arrived - baseline:N0} of {count - errors:N0} messages arrived within {timeout.TotalSeconds:0} s of the last send.");
                }

                if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(2))
                {
                    lastReport = clock.Elapsed;
                    await progress.WriteLineAsync($"  {arrived - baseline:N0} arrived after {clock.Elapsed.TotalSeconds:0.0} s");
                }

                await Task.Delay(20, ct);
            }

            var total = clock.Elapsed;
            var result = new RelayResult(count, size, clients, pipeline, errors, acked, total, arrived - baseline, firstError);
            if (args.Has("json"))
            {
                await JsonOutput.WriteAsync(context.Out, w => result.WriteJson(w));
            }
            else
            {
                await context.Out.WriteAsync(result.Describe());
            }

            return errors == 0 ? CliApp.ExitOk : CliApp.ExitFailure;
        }
        finally
        {
            foreach (var sender in senders)
            {
                await sender.DisposeAsync();
            }
        }
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
}
