using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ProtocolCommands = Butterfly.Protocol.Contracts.Commands;

namespace Butterfly.Bench;

/// <summary>
/// <c>bench login</c>: a legitimate user's login latency under attack. A flood keeps
/// <see cref="LoginAttackSettings.Flood"/> idle connections open from one address (each reopened,
/// after half a second, when the server closes or refuses it), guessers send wrong passwords as
/// fast as they are answered, and meanwhile the user logs in <see cref="LoginAttackSettings.Logins"/>
/// times, each on a new connection, trying again on <c>server.busy</c> as a client would.
/// </summary>
public static class LoginAttackRunner
{
    private static readonly TimeSpan _reopenAfter = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan _retryAfter = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs the attack and the timed logins; progress lines go to <paramref name="progress"/>.</summary>
    public static async Task<LoginAttackResult> RunAsync(LoginAttackSettings settings, TextWriter progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var counters = new Counters();
        var attack = new List<Task>();
        for (var i = 0; i < settings.Flood; i++)
        {
            attack.Add(FloodAsync(settings, counters, stop.Token));
        }

        for (var i = 0; i < settings.Guessers; i++)
        {
            attack.Add(GuessAsync(settings, Offset(settings.GuessFrom, i % Math.Max(1, settings.GuessAddresses)), counters, stop.Token));
        }

        await Task.Delay(settings.Warmup, ct);
        await progress.WriteLineAsync($"bench login: attack running ({Volatile.Read(ref counters.Held)} flood connections open, {Volatile.Read(ref counters.Guesses)} guesses answered); timing {settings.Logins} logins");

        var recorder = new LatencyRecorder(settings.Logins);
        long failed = 0;
        var guessesBefore = Volatile.Read(ref counters.Guesses);
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < settings.Logins; n++)
        {
            var started = Stopwatch.GetTimestamp();
            if (await LoginAsync(settings, counters, ct))
            {
                recorder.Record(Stopwatch.GetTimestamp() - started);
            }
            else
            {
                failed++;
            }
        }

        var elapsed = clock.Elapsed;
        var guesses = Volatile.Read(ref counters.Guesses) - guessesBefore;
        var held = Volatile.Read(ref counters.Held);
        await stop.CancelAsync();
        await Task.WhenAll(attack);
        return new LoginAttackResult(
            settings,
            LatencySummary.FromSorted(LatencyRecorder.MergeSorted([recorder])),
            failed,
            counters.Retries,
            held,
            Volatile.Read(ref counters.Refused),
            guesses,
            elapsed);
    }

    /// <summary>The address <paramref name="offset"/> after <paramref name="first"/> (IPv4; IPv6 in its last byte).</summary>
    private static IPAddress Offset(IPAddress first, int offset)
    {
        var bytes = first.GetAddressBytes();
        bytes[^1] = (byte)(bytes[^1] + offset);
        return new IPAddress(bytes);
    }

    private static async Task<bool> LoginAsync(LoginAttackSettings s, Counters counters, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(s.GiveUpAfter.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                await using var socket = await FrameSocket.ConnectAsync(s.Host, s.Port, s.LegitFrom, ct);
                var reply = await socket.RequestAsync(new { cmd = ProtocolCommands.Login, user = s.User, password = s.Password }, ct);
                if (reply is { Tag: not 0, Code: null })
                {
                    return true;
                }

                if (reply is { Tag: not 0, Code: not "server.busy" })
                {
                    throw new InvalidOperationException($"The login as {s.User} was refused: {reply.Value.Code}.");
                }
            }
            catch (SocketException)
            {
                // Refused at connect (the listen backlog is full): try again like a client.
            }

            Interlocked.Increment(ref counters.Retries);
            await Task.Delay(_retryAfter, ct);
        }

        return false;
    }

    private static async Task FloodAsync(LoginAttackSettings s, Counters counters, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var socket = await FrameSocket.ConnectAsync(s.Host, s.Port, s.FloodFrom, stop);
                Interlocked.Increment(ref counters.Held);
                try
                {
                    // Sends nothing; waits for the server to close it (login deadline) or refuse it.
                    if (await socket.ReadAsync(stop) is { Code: "server.busy" })
                    {
                        Interlocked.Increment(ref counters.Refused);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref counters.Held);
                }

                await Task.Delay(_reopenAfter, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref counters.Refused);
                await PauseAsync(stop);
            }
        }
    }

    private static async Task GuessAsync(LoginAttackSettings s, IPAddress from, Counters counters, CancellationToken stop)
    {
        var user = s.GuessUser ?? s.User;
        var guess = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var socket = await FrameSocket.ConnectAsync(s.Host, s.Port, from, stop);
                while (await socket.RequestAsync(new { cmd = ProtocolCommands.Login, user, password = $"wrong-guess-{guess++}" }, stop) is { Tag: not 0 })
                {
                    Interlocked.Increment(ref counters.Guesses);
                }

                await PauseAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                await PauseAsync(stop);
            }
        }
    }

    private static async Task PauseAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(_retryAfter, stop);
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private sealed class Counters
    {
        public long Held;
        public long Refused;
        public long Guesses;
        public long Retries;
    }
}
