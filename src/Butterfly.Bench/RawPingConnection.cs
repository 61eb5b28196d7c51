using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Butterfly.Client;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Framing;
using ProtocolCommands = Butterfly.Protocol.Contracts.Commands;

namespace Butterfly.Bench;

/// <summary>
/// A lean pipelined ping loop for <c>bench ping</c>, on the shared connection core: no task, no
/// completion source and no dictionary per request. Each of the N pipeline slots owns the fixed
/// tag <c>slot + 1</c> (one request per slot is in flight, so the tag is never ambiguous); each
/// reply re-arms its slot with the same pre-encoded ping, and the write loop sends everything
/// re-armed by one receive in one batch.
/// </summary>
internal sealed class RawPingConnection : IFrameReceiver, IAsyncDisposable
{
    private const int MaxPayload = 1 << 20;
    private static readonly byte[] _okPrefix = """{"ok":true"""u8.ToArray();
    private static readonly TimeSpan _setupTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly FrameConnection _connection;
    private readonly PendingRequests<ReplyHead> _setup = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Run? _run;

    private RawPingConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _connection = new FrameConnection(
            new StreamDuplexPipe(_stream),
            this,
            new FrameConnectionOptions { Routing = FrameRouting.Replies, MaxFrameBytes = MaxPayload, Description = "the server" },
            () => _socket.Close());
        _connection.Start();
    }

    /// <summary>Connects, says hello and logs in.</summary>
    /// <exception cref="ButterflyException">The server refused hello or login.</exception>
    public static async Task<RawPingConnection> OpenAsync(string host, int port, string user, string password, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, ct);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ButterflyConnectionException($"Cannot connect to {new ButterflyEndpoint(host, port)}: {ex.Message}", ex);
        }

        var connection = new RawPingConnection(socket);
        try
        {
            await connection.ExchangeAsync(Head(w =>
            {
                w.WriteString("cmd", ProtocolCommands.Hello);
                w.WriteNumber("version", ProtocolVersion.Current);
                w.WriteString("client", "butterfly-bench/0.1");
            }), ct);
            var login = Head(w =>
            {
                w.WriteString("cmd", ProtocolCommands.Login);
                w.WriteString("user", user);
                w.WriteString("password", password);
            });
            await BusyRetry.LoginAsync(() => connection.ExchangeAsync(login, ct), ct);
            return connection;
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
        var run = new Run(pipeline, clock, recorder);
        Volatile.Write(ref _run, run);
        var now = Stopwatch.GetTimestamp();
        for (var slot = 0; slot < pipeline; slot++)
        {
            run.Started[slot] = now;
            _connection.Send((ulong)slot + 1, ButterflyClient.PingHead);
        }

        await _done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _connection.Abort();
        await _connection.Completion;
        await _stream.DisposeAsync();
    }

    void IFrameReceiver.OnReply(in Frame frame)
    {
        var run = Volatile.Read(ref _run);
        if (run is null)
        {
            if (_setup.TryTake(frame.Tag, out var pending))
            {
                pending.Complete(new ReplyHead(frame.Head.ToArray()));
            }

            return;
        }

        var slot = (int)(frame.Tag - 1);
        if (slot >= run.Started.Length)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (run.Clock.Counts(run.Started[slot], now))
        {
            run.Recorder.Record(now - run.Started[slot]);
            if (!IsOk(frame.Head))
            {
                run.Recorder.Errors++;
            }
        }

        if (run.Clock.Stopping)
        {
            if (--run.InFlight == 0)
            {
                _done.TrySetResult();
            }

            return;
        }

        run.Started[slot] = now;
        _connection.Send(frame.Tag, ButterflyClient.PingHead);
    }

    void IFrameReceiver.OnTagZero(in Frame frame)
    {
        // A protocol error frame: the server is closing this connection.
        if (!IsOk(frame.Head))
        {
            Fail();
        }
    }

    void IFrameReceiver.OnReadingStopped(ConnectionError? error)
    {
        _setup.FailAll(new ButterflyConnectionException(error?.Message ?? "The server closed the connection."));
        Fail();
    }

    private void Fail()
    {
        if (Volatile.Read(ref _run) is { } run && !_done.Task.IsCompleted)
        {
            run.Recorder.Errors++;
        }

        _done.TrySetResult();
    }

    private static bool IsOk(in ReadOnlySequence<byte> head)
    {
        if (head.IsSingleSegment && head.FirstSpan.StartsWith(_okPrefix))
        {
            return true;
        }

        return FrameHeads.TryScanReply(head.ToArray(), out var ok, out _, out _) && ok == true;
    }

    /// <summary>Sends one request and reads its reply; throws on an error reply.</summary>
    private async Task ExchangeAsync(byte[] head, CancellationToken ct)
    {
        var reply = await _setup.SendAsync(_connection, head, ReadOnlyMemory<byte>.Empty, _setupTimeout, ct);
        if (!FrameHeads.TryScanReply(reply.Bytes, out var ok, out var code, out var message) || ok != true)
        {
            throw new ButterflyException(code ?? "server.internal", message ?? "The server refused the request.");
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

    /// <summary>A setup reply's head bytes.</summary>
    private sealed record ReplyHead(byte[] Bytes);

    /// <summary>The state of one measured run; touched only by the read loop once started.</summary>
    private sealed class Run(int pipeline, BenchClock clock, LatencyRecorder recorder)
    {
        public long[] Started { get; } = new long[pipeline];

        public BenchClock Clock { get; } = clock;

        public LatencyRecorder Recorder { get; } = recorder;

        public int InFlight { get; set; } = pipeline;
    }
}
