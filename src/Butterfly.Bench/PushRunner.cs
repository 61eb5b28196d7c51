using System.Diagnostics;
using System.Globalization;
using Butterfly.Client;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Bench;

/// <summary>
/// <c>bench push</c>: push latency. The recipient has <see cref="PushSettings.Watchers"/> sessions subscribed
/// to <c>message.added</c>; the sender sends one message at a time, and for each one the time from the
/// sender holding its <c>send</c> acknowledgement to each session holding the event is recorded (both
/// clocks are this process's). Events that beat the acknowledgement count as 0. With
/// <see cref="PushSettings.WatchServer"/> the sessions are on another daemon of the same database:
/// push latency across daemons.
/// </summary>
public static class PushRunner
{
    private static readonly TimeSpan _eventWait = TimeSpan.FromSeconds(10);

    /// <summary>Runs the sends and collects the latencies.</summary>
    /// <param name="settings">Who sends to whom, how many.</param>
    /// <param name="progress">Where progress lines go (<see cref="TextWriter.Null"/> for none).</param>
    /// <param name="ct">Stops the run.</param>
    public static async Task<PushResult> RunAsync(PushSettings settings, TextWriter progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        await using var sender = await ButterflyClient.ConnectAsync(settings.Host, settings.Port, ct: ct);
        await BusyRetry.LoginAsync(() => sender.LoginAsync(settings.User, settings.Password, ct), ct);
        var total = settings.Warmup + settings.Count;

        // arrivals[w][i]: when watcher w got the event of message i (Stopwatch ticks; 0 until then).
        var arrivals = new long[settings.Watchers][];
        var acks = new long[total];
        var watchers = new List<ButterflyClient>();
        var readers = new List<Task>();
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var arrived = new SemaphoreSlim(0);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            for (var w = 0; w < settings.Watchers; w++)
            {
                var watcher = await ButterflyClient.ConnectAsync(settings.WatchServer?.Host ?? settings.Host, settings.WatchServer?.Port ?? settings.Port, ct: ct);
                watchers.Add(watcher);
                await BusyRetry.LoginAsync(() => watcher.LoginAsync(settings.To, settings.ToPassword, ct), ct);
                await watcher.SubscribeAsync([EventNames.MessageAdded], ct);
                var slots = arrivals[w] = new long[total];
                readers.Add(ReadAsync(watcher, $"push {tag} ", slots, arrived, stop.Token));
            }

            var across = settings.WatchServer is { } other ? $" on {other}" : string.Empty;
            await progress.WriteLineAsync($"bench push: {settings.Warmup:N0} + {settings.Count:N0} sends from {settings.User} to {settings.To}, {settings.Watchers} subscribed sessions{across}");
            for (var i = 0; i < total; i++)
            {
                await sender.SendAsync(new SendRequest { To = [settings.To], Subject = string.Create(CultureInfo.InvariantCulture, $"push {tag} {i}"), Text = "x" }, ct);
                Volatile.Write(ref acks[i], Stopwatch.GetTimestamp());

                // One at a time: the next send waits for every session's event of this one (or gives up on it).
                for (var w = 0; w < settings.Watchers; w++)
                {
                    if (!await arrived.WaitAsync(_eventWait, ct))
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var watcher in watchers)
            {
                await watcher.DisposeAsync();
            }

            await Task.WhenAll(readers.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        var recorder = new LatencyRecorder(settings.Count * settings.Watchers);
        long early = 0, missing = 0;
        foreach (var slots in arrivals)
        {
            for (var i = settings.Warmup; i < total; i++)
            {
                if (slots[i] == 0)
                {
                    missing++;
                    continue;
                }

                var latency = slots[i] - acks[i];
                if (latency < 0)
                {
                    early++;
                }

                recorder.Record(Math.Max(0, latency));
            }
        }

        return new PushResult(settings.Count, settings.Watchers, LatencySummary.FromSorted(LatencyRecorder.MergeSorted([recorder])), early, missing);
    }

    private static async Task ReadAsync(ButterflyClient watcher, string prefix, long[] slots, SemaphoreSlim arrived, CancellationToken ct)
    {
        await foreach (var pushed in watcher.ReadEventsAsync(ct))
        {
            var now = Stopwatch.GetTimestamp();
            if (pushed.Message?.Subject is { } subject && subject.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(subject.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < slots.Length)
            {
                Volatile.Write(ref slots[i], now);
                arrived.Release();
            }
        }
    }
}
