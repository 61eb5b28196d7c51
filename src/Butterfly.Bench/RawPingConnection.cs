using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Butterfly.Client;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Framing;
using ProtocolCommands = Butterfly.Protocol.Contracts.Commands;

namespace Butterfly.Bench;

/// <summary>
/// A lean pipelined ping loop on one raw socket, for <c>bench ping</c>: no task, no completion
/// source and no dictionary per request. Each of the N pipeline slots owns the fixed tag
/// <c>slot + 1</c> (one request per slot is in flight, so the tag is never ambiguous). Every
/// receive is parsed whole; each reply re-arms its slot with a pre-encoded ping, and everything
/// re-armed by one receive goes out in one send.
/// </summary>
internal sealed class RawPingConnection : IAsyncDisposable
{
    private const int MaxPayload = 1 << 20;
    private static readonly byte[] _okPrefix = """{"ok":true"""u8.ToArray();

    private readonly Socket _socket;
    private byte[] _input = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawPingConnection(Socket socket)
    {
        _socket = socket;
    }

    /// <summary>Connects, says hello and logs in.</summary>
    /// <exception cref="ButterflyException">The server refused hello or login.</exception>
    public static async Task<RawPingConnection> OpenAsync(string host, int port, string user, string password, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connection = new RawPingConnection(socket);
        try
        {
            await socket.ConnectAsync(host, port, ct);
            await connection.ExchangeAsync(Head(w =>
            {
                w.WriteString("cmd", ProtocolCommands.Hello);
                w.WriteNumber("version", ProtocolVersion.Current);
                w.WriteString("client", "butterfly-bench/0.1");
            }), ct);
            await connection.ExchangeAsync(Head(w =>
            {
                w.WriteString("cmd", ProtocolCommands.Login);
                w.WriteString("user", user);
                w.WriteString("password", password);
            }), ct);
            return connection;
        }
        catch (SocketException ex)
        {
            await connection.DisposeAsync();
            throw new ButterflyConnectionException($"Cannot connect to {new ButterflyEndpoint(host, port)}: {ex.Message}", ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Keeps <paramref name="pipeline"/> pings in flight until the clock stops.</summary>
    public async Task RunAsync(int pipeline, BenchClock clock, LatencyRecorder recorder)
    {
        var ping = ButterflyClient.PingHead.Span;
        var frameSize = FrameLayout.HeaderSize + ping.Length;
        var frames = new byte[pipeline * frameSize];
        for (var slot = 0; slot < pipeline; slot++)
        {
            FrameWriter.WriteHeader(frames.AsSpan(slot * frameSize), (ulong)slot + 1, ping.Length, 0);
            ping.CopyTo(frames.AsSpan(slot * frameSize + FrameLayout.HeaderSize));
        }

        var started = new long[pipeline];
        var output = new byte[pipeline * frameSize];
        var now = Stopwatch.GetTimestamp();
        Array.Fill(started, now);
        await _socket.SendAsync(frames, SocketFlags.None);
        var inFlight = pipeline;
        try
        {
            while (inFlight > 0)
            {
                var received = await _socket.ReceiveAsync(_input.AsMemory(_end), SocketFlags.None);
                if (received == 0)
                {
                    recorder.Errors++;
                    return;
                }

                _end += received;
                var outputLength = 0;
                var stopping = clock.Stopping;
                now = Stopwatch.GetTimestamp();
                while (TryTakeFrame(out var tag, out var ok))
                {
                    var slot = (int)(tag - 1);
                    if (tag == FrameLayout.PushTag || slot >= pipeline)
                    {
                        if (!ok)
                        {
                            // A protocol error frame: the server is closing this connection.
                            recorder.Errors++;
                            return;
                        }

                        continue;
                    }

                    if (clock.Counts(started[slot], now))
                    {
                        recorder.Record(now - started[slot]);
                        if (!ok)
                        {
                            recorder.Errors++;
                        }
                    }

                    if (stopping)
                    {
                        inFlight--;
                        continue;
                    }

                    started[slot] = now;
                    frames.AsSpan(slot * frameSize, frameSize).CopyTo(output.AsSpan(outputLength));
                    outputLength += frameSize;
                }

                if (outputLength > 0)
                {
                    await _socket.SendAsync(output.AsMemory(0, outputLength), SocketFlags.None);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            recorder.Errors++;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Takes one whole frame off the input buffer; false when more bytes are needed.</summary>
    private bool TryTakeFrame(out ulong tag, out bool ok)
    {
        ok = false;
        var span = _input.AsSpan(_start, _end - _start);
        var status = FrameReader.TryReadHeader(span, MaxPayload, out tag, out var payloadLength, out var headLength, out var error);
        if (status == FrameStatus.Invalid)
        {
            throw new ButterflyConnectionException($"The server sent a frame the bench cannot accept ({error}).");
        }

        if (status == FrameStatus.Incomplete)
        {
            Compact(payloadLength);
            return false;
        }

        var head = span.Slice(FrameLayout.HeaderSize, headLength);
        ok = head.StartsWith(_okPrefix) || IsOk(head);
        _start += FrameLayout.LengthSize + payloadLength;
        return true;
    }

    /// <summary>Moves a partial frame to the front, growing the buffer when the frame does not fit.</summary>
    private void Compact(int payloadLength)
    {
        var pending = _end - _start;
        if (pending == 0)
        {
            _start = _end = 0;
            return;
        }

        var needed = Math.Max(pending, FrameLayout.LengthSize + payloadLength);
        if (needed > _input.Length)
        {
            var larger = new byte[Math.Max(needed, _input.Length * 2)];
            _input.AsSpan(_start, pending).CopyTo(larger);
            _input = larger;
        }
        else if (_start > 0 && _input.Length - _end < 4096)
        {
            _input.AsSpan(_start, pending).CopyTo(_input);
        }
        else
        {
            return;
        }

        _start = 0;
        _end = pending;
    }

    private static bool IsOk(ReadOnlySpan<byte> head)
    {
        var reader = new Utf8JsonReader(head);
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("ok", out var ok)
                && ok.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Sends one request with tag 1 and reads its reply; throws on an error reply.</summary>
    private async Task ExchangeAsync(byte[] head, CancellationToken ct)
    {
        await _socket.SendAsync(FrameWriter.ToArray(1, head), SocketFlags.None, ct);
        while (true)
        {
            var span = _input.AsSpan(_start, _end - _start);
            var status = FrameReader.TryReadHeader(span, MaxPayload, out var tag, out var payloadLength, out var headLength, out var error);
            if (status == FrameStatus.Invalid)
            {
                throw new ButterflyConnectionException($"The server sent a frame the bench cannot accept ({error}).");
            }

            if (status == FrameStatus.Complete)
            {
                var headBytes = span.Slice(FrameLayout.HeaderSize, headLength).ToArray();
                _start += FrameLayout.LengthSize + payloadLength;
                if (tag != 1)
                {
                    continue;
                }

                using var document = JsonDocument.Parse(headBytes);
                var root = document.RootElement;
                if (!root.TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True)
                {
                    var code = root.TryGetProperty("code", out var c) ? c.GetString() : null;
                    var message = root.TryGetProperty("message", out var m) ? m.GetString() : null;
                    throw new ButterflyException(code ?? "server.internal", message ?? "The server refused the request.");
                }

                return;
            }

            Compact(payloadLength);
            var received = await _socket.ReceiveAsync(_input.AsMemory(_end), SocketFlags.None, ct);
            if (received == 0)
            {
                throw new ButterflyConnectionException("The server closed the connection.");
            }

            _end += received;
        }
    }

    private static byte[] Head(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
