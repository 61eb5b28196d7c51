using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Framing;

namespace Butterfly.Filters.Internal;

/// <summary>
/// One connection to the server's filter socket, on the shared connection core. Both sides send
/// requests (protocol/filter.md, "Requests both ways"): frames with <c>"cmd"</c> are the server's
/// requests, frames with <c>"ok"</c> answer ours, matched by tag.
/// </summary>
internal sealed class FilterConnection : IFrameReceiver, IAsyncDisposable
{
    private const int MaxFrameBytes = 64 << 20;

    // The most filter.message requests the server may send at once (its own cap, filter.md "filter.register").
    private const int MaxServerInFlight = 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly FrameConnection _connection;
    private readonly PendingRequests<FilterReply> _requests = new();
    private Func<ulong, JsonDocument, byte[], Task>? _onRequest;

    private FilterConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _connection = new FrameConnection(
            new StreamDuplexPipe(_stream),
            this,
            new FrameConnectionOptions
            {
                Routing = FrameRouting.Both,
                MaxFrameBytes = MaxFrameBytes,
                MaxIncomingInFlight = MaxServerInFlight,
                Description = "the server",
            },
            () => _socket.Close());
    }

    /// <summary>Connects to the socket at <paramref name="path"/>.</summary>
    public static async Task<FilterConnection> ConnectAsync(string path, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new FilterConnection(socket);
    }

    /// <summary>Sends a request with the next tag of ours and waits for its reply.</summary>
    /// <exception cref="FilterException">The server answered with an error, or the connection was lost.</exception>
    public async Task<FilterReply> RequestAsync(byte[] head, CancellationToken ct)
    {
        FilterReply reply;
        try
        {
            reply = await _requests.SendAsync(_connection, head, ReadOnlyMemory<byte>.Empty, Timeout.InfiniteTimeSpan, ct);
        }
        catch (IOException ex)
        {
            throw new FilterException("The connection to the server was lost.", ex);
        }

        if (!reply.Ok)
        {
            using (reply)
            {
                var root = reply.Head.RootElement;
                throw new FilterException(JsonHeads.String(root, "code") ?? "filter.error", JsonHeads.String(root, "message") ?? "The server refused the request.");
            }
        }

        return reply;
    }

    /// <summary>Answers one of the server's requests (written with the next batch).</summary>
    public Task SendAsync(ulong tag, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body)
    {
        _connection.Reply(tag, head, body);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Reads frames until the server closes the connection or <paramref name="ct"/> fires. Each
    /// request of the server's is handed to <paramref name="onRequest"/> without waiting for it, so
    /// many are served at once; replies complete our pending requests. Returns once every request
    /// served has been answered.
    /// </summary>
    public async Task ReadLoopAsync(Func<ulong, JsonDocument, byte[], Task> onRequest, CancellationToken ct)
    {
        _onRequest = onRequest;
        await using (ct.UnsafeRegister(static state => ((FrameConnection)state!).Stop(), _connection))
        {
            await _connection.RunAsync();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _requests.FailAll(new IOException("The connection to the server was closed."));
        _connection.Abort();
        await _stream.DisposeAsync();
    }

    ValueTask IFrameReceiver.OnRequestAsync(in Frame frame)
    {
        var tag = frame.Tag;
        JsonDocument head;
        try
        {
            // Copied: the document outlives this frame's receive buffer.
            head = JsonDocument.Parse(frame.Head.ToArray().AsMemory());
        }
        catch (JsonException)
        {
            _connection.Reply(tag, JsonHeads.Write(w =>
            {
                w.WriteBoolean("ok", false);
                w.WriteString("code", "request.malformed-json");
                w.WriteString("message", "The head is not JSON.");
            }));
            return ValueTask.CompletedTask;
        }

        _ = ServeAsync(tag, head, frame.Body.ToArray());
        return ValueTask.CompletedTask;
    }

    void IFrameReceiver.OnReply(in Frame frame)
    {
        if (!_requests.TryTake(frame.Tag, out var pending))
        {
            return;
        }

        try
        {
            pending.Complete(new FilterReply(JsonDocument.Parse(frame.Head.ToArray().AsMemory()), frame.Body.ToArray()));
        }
        catch (JsonException)
        {
            pending.Fail(new FilterException("connection.lost", "The server sent a reply that is not JSON."));
        }
    }

    // framing.md, "Tag": the server's own error frame (e.g. shutting down); it closes after it.
    void IFrameReceiver.OnTagZero(in Frame frame) => _connection.Stop();

    void IFrameReceiver.OnReadingStopped(ConnectionError? error) =>
        _requests.FailAll(new FilterException("connection.lost", "The connection to the server was lost."));

    private async Task ServeAsync(ulong tag, JsonDocument head, byte[] body)
    {
        using (head)
        {
            await Task.Yield();
            await _onRequest!(tag, head, body);
        }
    }
}
