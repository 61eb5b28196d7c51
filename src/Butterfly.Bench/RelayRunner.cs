using System.Diagnostics;
using Butterfly.Client;

namespace Butterfly.Bench;

/// <summary>
/// <c>bench relay</c>: server-to-server throughput. Sends messages through server A as a user of A
/// to a recipient on server B, and measures until the recipient's Inbox on B holds them all: the
/// end-to-end rate (submission, A's queue, the peer delivery, B's store) and the rate at which A
/// acknowledged the sends.
/// </summary>
public static class RelayRunner
{
    private static readonly TimeSpan _pollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan _reportInterval = TimeSpan.FromSeconds(2);

    /// <summary>Runs the relay load and waits for the arrivals.</summary>
    /// <param name="settings">What to send, where.</param>
    /// <param name="progress">Where progress lines go (<see cref="TextWriter.Null"/> for none).</param>
    /// <param name="ct">Stops the run.</param>
    /// <exception cref="ButterflyException">A server refused hello or login.</exception>
    /// <exception cref="ButterflyConnectionException">A server could not be reached.</exception>
    public static async Task<RelayResult> RunAsync(RelaySettings settings, TextWriter progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        await using var reader = await ButterflyClient.ConnectAsync(settings.ToHost, settings.ToPort, ct: ct);
        await reader.LoginAsync(settings.To, settings.ToPassword, ct);
        var baseline = (await reader.ListMessagesAsync("Inbox", 1, ct: ct)).Total;

        var senders = new List<ButterflyClient>();
        try
        {
            for (var i = 0; i < settings.Clients; i++)
            {
                var sender = await ButterflyClient.ConnectAsync(settings.Host, settings.Port, ct: ct);
                senders.Add(sender);
                await BusyRetry.LoginAsync(() => sender.LoginAsync(settings.User, settings.Password, ct), ct);
            }

            var head = BenchRequests.SendHead(settings.To);
            var body = BenchMessage.Create(settings.User, settings.To, settings.Size);
            var next = -1;
            var errors = 0;
            string? firstError = null;
            await progress.WriteLineAsync($"bench relay: sending {settings.Count:N0} messages of {settings.Size:N0} bytes to {settings.To} via {settings.Host}:{settings.Port}");
            var clock = Stopwatch.StartNew();
            var workers = senders.SelectMany(client => Enumerable.Range(0, settings.Pipeline).Select(_ => Task.Run(
                async () =>
                {
                    while (Interlocked.Increment(ref next) < settings.Count)
                    {
                        var reply = await client.RequestAsync(head, body, ct: ct);
                        if (!reply.Ok && Interlocked.Increment(ref errors) == 1)
                        {
                            firstError = $"{reply.Code}: {reply.Message}";
                        }
                    }
                },
                ct))).ToArray();
            await Task.WhenAll(workers);
            var acked = clock.Elapsed;
            await progress.WriteLineAsync($"  all sends acknowledged after {acked.TotalSeconds:0.00} s; waiting for arrivals on {settings.ToHost}:{settings.ToPort}");

            var expected = baseline + settings.Count - errors;
            long arrived;
            var lastReport = TimeSpan.Zero;
            var timedOut = false;
            while ((arrived = (await reader.ListMessagesAsync("Inbox", 1, ct: ct)).Total) < expected)
            {
                if (clock.Elapsed > acked + settings.Timeout)
                {
                    timedOut = true;
                    break;
                }

                if (clock.Elapsed - lastReport > _reportInterval)
                {
                    lastReport = clock.Elapsed;
                    await progress.WriteLineAsync($"  {arrived - baseline:N0} arrived after {clock.Elapsed.TotalSeconds:0.0} s");
                }

                await Task.Delay(_pollInterval, ct);
            }

            return new RelayResult(
                settings.Count, settings.Size, settings.Clients, settings.Pipeline, errors, acked, clock.Elapsed, arrived - baseline, firstError, timedOut);
        }
        finally
        {
            foreach (var sender in senders)
            {
                await sender.DisposeAsync();
            }
        }
    }
}
