using System.Buffers.Binary;
using System.Text.Json;
using Butterfly.Protocol.Framing;
using ProtocolCommands = Butterfly.Protocol.Contracts.Commands;

namespace Butterfly.Bench;

/// <summary>
/// <c>bench memory</c>: makes each attack of the issue "Proof under fire" on a running daemon and
/// reads the daemon's resident memory (/proc/PID/status) before, during and after it. Not a test:
/// a probe run by hand or by tests/bench/memory.sh against a Release build.
/// </summary>
public static class MemoryRunner
{
    private static readonly TimeSpan _sampleEvery = TimeSpan.FromMilliseconds(200);

    /// <summary>Runs the scenarios of <paramref name="settings"/> in order.</summary>
    /// <param name="settings">What to run.</param>
    /// <param name="progress">Where to say what is happening.</param>
    /// <param name="ct">Stops the run.</param>
    public static async Task<MemoryResult> RunAsync(MemorySettings settings, TextWriter progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        var phases = new List<MemoryPhase>();
        foreach (var scenario in settings.Scenarios)
        {
            await progress.WriteLineAsync($"bench memory: {Name(scenario)}...");
            var sockets = new List<ProbeSocket>();
            using var attack = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var before = ProcessMemory.Read(settings.ProcessId).Rss;
            Task attacking;
            try
            {
                attacking = scenario switch
                {
                    MemoryScenario.PreLogin => await OpenFramesAsync(settings, sockets, login: false, attack.Token),
                    MemoryScenario.PostLogin => await OpenFramesAsync(settings, sockets, login: true, attack.Token),
                    MemoryScenario.Idle => await OpenIdleAsync(settings, sockets, attack.Token),
                    _ => await OpenBacklogAsync(settings, sockets, attack.Token),
                };
            }
            catch
            {
                await CloseAsync(sockets);
                throw;
            }

            var (during, calledOff) = await SampleAsync(settings, settings.Hold, stopAbove: true, ct);
            if (scenario == MemoryScenario.Idle)
            {
                // What the open sessions keep once the garbage of their logins has had time to go:
                // the last sample of the hold, not its highest.
                during = ProcessMemory.Read(settings.ProcessId).Rss;
            }

            var sent = sockets.Sum(s => s.Sent);
            await attack.CancelAsync();
            await CloseAsync(sockets);
            await AwaitQuietlyAsync(attacking);

            await Task.Delay(settings.Settle, ct);
            var after = ProcessMemory.Read(settings.ProcessId);
            var phase = new MemoryPhase(scenario, sockets.Count, sent, before, during, after.Rss, after.HighWater, calledOff);
            await progress.WriteLineAsync(MemoryResult.Line(phase));
            phases.Add(phase);
        }

        return new MemoryResult(settings, phases);
    }

    /// <summary>The scenario as the command line and the output name it.</summary>
    public static string Name(MemoryScenario scenario) => scenario switch
    {
        MemoryScenario.PreLogin => "prelogin",
        MemoryScenario.PostLogin => "postlogin",
        MemoryScenario.Idle => "idle",
        _ => "backlog",
    };

    /// <summary>
    /// Opens the connections (logging each in first when asked), then starts each sending all but
    /// the last byte of a frame that announces <see cref="MemorySettings.FrameBytes"/>. Returns the
    /// sending, which ends when the server stops taking bytes or the attack is called off.
    /// </summary>
    private static async Task<Task> OpenFramesAsync(MemorySettings s, List<ProbeSocket> sockets, bool login, CancellationToken ct)
    {
        await OpenAsync(s, sockets, login, ct);

        // One buffer for every connection: the length prefix, a tag, an empty head, then zeros.
        var frame = new byte[FrameLayout.LengthSize + (long)s.FrameBytes - 1];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)s.FrameBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(FrameLayout.LengthSize), 1);
        return Task.WhenAll(sockets.Select(socket => AwaitQuietlyAsync(socket.SendAsync(frame, ct))));
    }

    /// <summary>Opens <see cref="MemorySettings.Connections"/> logged-in connections that then say nothing.</summary>
    private static async Task<Task> OpenIdleAsync(MemorySettings s, List<ProbeSocket> sockets, CancellationToken ct)
    {
        await OpenAsync(s, sockets, login: true, ct);
        return Task.CompletedTask;
    }

    /// <summary>Opens <see cref="MemorySettings.Connections"/> connections, logging each in when asked.</summary>
    private static async Task OpenAsync(MemorySettings s, List<ProbeSocket> sockets, bool login, CancellationToken ct)
    {
        // Logins are spread over a few at a time: the daemon hashes on a bounded pool.
        using var gate = new SemaphoreSlim(16);
        var opening = Enumerable.Range(0, s.Connections).Select(async _ =>
        {
            await gate.WaitAsync(ct);
            try
            {
                var socket = login
                    ? await ProbeSocket.LoginAsync(s.Host, s.Port, s.User, s.Password, ct)
                    : await ProbeSocket.ConnectAsync(s.Host, s.Port, ct);
                lock (sockets)
                {
                    sockets.Add(socket);
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(opening);
    }

    /// <summary>
    /// Stores one message of <see cref="MemorySettings.MessageBytes"/>, then has each client send
    /// <see cref="MemorySettings.Requests"/> fetches of it and read nothing.
    /// </summary>
    private static async Task<Task> OpenBacklogAsync(MemorySettings s, List<ProbeSocket> sockets, CancellationToken ct)
    {
        for (var i = 0; i < s.BacklogClients; i++)
        {
            sockets.Add(await ProbeSocket.LoginAsync(s.Host, s.Port, s.User, s.Password, ct));
        }

        var store = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["cmd"] = ProtocolCommands.MessageStore, ["folder"] = "Inbox" });
        var stored = await sockets[0].RequestAsync(store, BenchMessage.Create(s.User, s.User, s.MessageBytes), ct);
        var id = stored.GetProperty("id").GetInt64();

        var fetch = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["cmd"] = ProtocolCommands.MessageFetch, ["folder"] = "Inbox", ["id"] = id });
        var requests = new List<byte>();
        for (var tag = 1000UL; tag < 1000UL + (ulong)s.Requests; tag++)
        {
            requests.AddRange(FrameWriter.ToArray(tag, fetch));
        }

        var bytes = requests.ToArray();
        return Task.WhenAll(sockets.Select(socket => AwaitQuietlyAsync(socket.SendAsync(bytes, ct))));
    }

    /// <summary>Samples the daemon's resident memory for <paramref name="period"/>; returns the highest seen.</summary>
    private static async Task<(long Highest, bool CalledOff)> SampleAsync(MemorySettings s, TimeSpan period, bool stopAbove, CancellationToken ct)
    {
        long highest = 0;
        var end = DateTime.UtcNow + period;
        while (DateTime.UtcNow < end)
        {
            var rss = ProcessMemory.Read(s.ProcessId).Rss;
            highest = Math.Max(highest, rss);
            if (stopAbove && rss > s.StopAboveBytes)
            {
                return (highest, true);
            }

            await Task.Delay(_sampleEvery, ct);
        }

        return (highest, false);
    }

    private static async Task CloseAsync(List<ProbeSocket> sockets)
    {
        foreach (var socket in sockets)
        {
            await socket.DisposeAsync();
        }
    }

    private static async Task AwaitQuietlyAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The server closed the connection (as it should before login), or the attack was called off.
        }
    }
}
