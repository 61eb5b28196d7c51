using System.Diagnostics;
using Butterfly.Client;
using Butterfly.Protocol;

namespace Butterfly.Bench;

/// <summary>
/// Runs a closed-loop load: <see cref="BenchSettings.Clients"/> connections, each logged in, each
/// keeping <see cref="BenchSettings.Pipeline"/> requests in flight through the client library's
/// pipelined <see cref="ButterflyClient.RequestAsync(ReadOnlyMemory{byte}, ReadOnlyMemory{byte}, TimeSpan?, CancellationToken)"/>.
/// Heads (and bodies) are encoded once up front so the loop measures the connection, not JSON.
/// </summary>
public static class BenchRunner
{
    /// <summary>
    /// Connects and logs in <see cref="BenchSettings.Clients"/> connections, warms up, measures for
    /// the duration or the count, and summarizes. Pings go through <see cref="RawPingConnection"/>
    /// unless <see cref="BenchEngine.Library"/>; sends always go through the client library.
    /// </summary>
    /// <param name="settings">What to run.</param>
    /// <param name="progress">Where progress lines go (<see cref="TextWriter.Null"/> for none).</param>
    /// <param name="ct">Stops the run.</param>
    /// <exception cref="ButterflyException">The server refused hello or login.</exception>
    /// <exception cref="ButterflyConnectionException">The server could not be reached.</exception>
    public static Task<BenchResult> RunAsync(BenchSettings settings, TextWriter progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        if (settings.Mode == BenchMode.Ping && settings.Engine == BenchEngine.Raw)
        {
            return RunRawPingAsync(settings, progress, ct);
        }

        return RunLibraryAsync(settings, progress, ct);
    }

    /// <summary>Runs the load through <see cref="ButterflyClient"/>: one worker per in-flight request.</summary>
    private static async Task<BenchResult> RunLibraryAsync(BenchSettings settings, TextWriter progress, CancellationToken ct)
    {
        var clients = await ConnectAllAsync(settings, ct);
        try
        {
            var clock = new BenchClock(settings.Count);
            var recorders = new List<LatencyRecorder>();
            var workers = new List<Task>();

            // Encoded once per account: each connection sends as the account it logged in as.
            var requests = Enumerable.Range(0, settings.MoreUsers.Count + 1).Select(i => BenchRequests.For(settings, settings.UserFor(i))).ToList();
            foreach (var (client, index) in clients.Select((c, i) => (c, i)))
            {
                var (head, body) = requests[index % requests.Count];
                for (var i = 0; i < settings.Pipeline; i++)
                {
                    var recorder = new LatencyRecorder(InitialCapacity(settings, settings.Clients * settings.Pipeline));
                    recorders.Add(recorder);
                    workers.Add(Task.Run(() => WorkAsync(client, head, body, clock, recorder), CancellationToken.None));
                }
            }

            return await MeasureAsync(settings, clock, workers, recorders, progress, ct);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>Runs pings through <see cref="RawPingConnection"/>: one lean loop per connection.</summary>
    private static async Task<BenchResult> RunRawPingAsync(BenchSettings settings, TextWriter progress, CancellationToken ct)
    {
        var opening = Enumerable.Range(0, settings.Clients)
            .Select(i => RawPingConnection.OpenAsync(settings.ServerFor(i).Host, settings.ServerFor(i).Port, settings.UserFor(i), settings.Password, ct))
            .ToList();
        try
        {
            var connections = await Task.WhenAll(opening);
            var clock = new BenchClock(settings.Count);
            var recorders = new List<LatencyRecorder>();
            var workers = new List<Task>();
            foreach (var connection in connections)
            {
                var recorder = new LatencyRecorder(InitialCapacity(settings, settings.Clients));
                recorders.Add(recorder);
                workers.Add(Task.Run(() => connection.RunAsync(settings.Pipeline, clock, recorder), CancellationToken.None));
            }

            return await MeasureAsync(settings, clock, workers, recorders, progress, ct);
        }
        finally
        {
            foreach (var task in opening.Where(t => t.IsCompletedSuccessfully))
            {
                await task.Result.DisposeAsync();
            }
        }
    }

    private static int InitialCapacity(BenchSettings settings, int recorders) =>
        settings.Count is { } count ? (int)Math.Min(count / recorders + 16, 1 << 20) : 4096;

    /// <summary>Warms up, opens the measuring window, closes it after the duration or count, and summarizes.</summary>
    private static async Task<BenchResult> MeasureAsync(
        BenchSettings settings,
        BenchClock clock,
        List<Task> workers,
        List<LatencyRecorder> recorders,
        TextWriter progress,
        CancellationToken ct)
    {
        var servers = settings.Spread.Count == 0 ? string.Empty : $" spread over {settings.Spread.Count + 1} servers";
        await progress.WriteLineAsync($"bench {settings.ModeName}: {settings.Clients} clients x {settings.Pipeline} in flight{servers}; warming up {settings.Warmup.TotalSeconds:0.#} s");
        try
        {
            await Task.Delay(settings.Warmup, ct);
            clock.Open();
            await progress.WriteLineAsync(settings.Count is { } count ? $"measuring {count:N0} requests" : $"measuring {settings.Duration.TotalSeconds:0.#} s");
            if (settings.Count is null)
            {
                await Task.Delay(settings.Duration, ct);
            }
            else
            {
                // Stop when the count is reached, or when every worker has given up (lost connections).
                await Task.WhenAny(clock.CountReached, Task.WhenAll(workers)).WaitAsync(ct);
            }
        }
        finally
        {
            clock.Close();
        }

        // Requests still in flight finish (they are outside the window) before the connections close.
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        var sorted = LatencyRecorder.MergeSorted(recorders);
        var elapsed = Stopwatch.GetElapsedTime(clock.Start, clock.End);
        return new BenchResult(settings, sorted.LongLength, recorders.Sum(r => r.Errors), elapsed, LatencySummary.FromSorted(sorted));
    }

    private static async Task<List<ButterflyClient>> ConnectAllAsync(BenchSettings settings, CancellationToken ct)
    {
        var options = new ButterflyClientOptions { ClientName = "butterfly-bench/" + ButterflyVersion.Current };
        var connecting = Enumerable.Range(0, settings.Clients).Select(async i =>
        {
            var server = settings.ServerFor(i);
            var client = await ButterflyClient.ConnectAsync(server.Host, server.Port, options, ct);
            try
            {
                await BusyRetry.LoginAsync(() => client.LoginAsync(settings.UserFor(i), settings.Password, ct), ct);
                return client;
            }
            catch
            {
                await client.DisposeAsync();
                throw;
            }
        }).ToList();
        try
        {
            return [.. await Task.WhenAll(connecting)];
        }
        catch
        {
            foreach (var task in connecting.Where(t => t.IsCompletedSuccessfully))
            {
                await task.Result.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>One request in flight at a time, until the clock stops or the connection is lost.</summary>
    private static async Task WorkAsync(ButterflyClient client, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, BenchClock clock, LatencyRecorder recorder)
    {
        while (!clock.Stopping)
        {
            var started = Stopwatch.GetTimestamp();
            bool ok;
            var lost = false;
            try
            {
                var reply = await client.RequestAsync(head, body);
                ok = reply.Ok;
            }
            catch (TimeoutException)
            {
                ok = false;
            }
            catch (ButterflyConnectionException)
            {
                ok = false;
                lost = true;
            }

            var finished = Stopwatch.GetTimestamp();
            if (clock.Counts(started, finished))
            {
                recorder.Record(finished - started);
                if (!ok)
                {
                    recorder.Errors++;
                }
            }

            if (lost)
            {
                return;
            }
        }
    }
}
