using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Butterfly.Protocol.Framing;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Web;

/// <summary>A browser's view of <c>/ws</c>: frames as binary WebSocket messages, one request at a time, events kept aside.</summary>
internal sealed class WebSocketSession : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Queue<RawFrame> _events = new();
    private ulong _tag;

    private WebSocketSession(ClientWebSocket socket) => _socket = socket;

    /// <summary>The socket, for tests that send what no client would.</summary>
    public ClientWebSocket Socket => _socket;

    /// <summary>How the server closed, once it did.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>The close reason the server gave.</summary>
    public string? CloseReason => _socket.CloseStatusDescription;

    /// <summary>The <c>ws://</c> address of the daemon's <c>/ws</c>.</summary>
    public static Uri WsUri(DaemonProcess daemon) => new($"ws://{daemon.WebUrl!.Authority}/ws");

    /// <summary>The origin a page served by the daemon has.</summary>
    public static string PageOrigin(DaemonProcess daemon) => $"http://{daemon.WebUrl!.Authority}";

    /// <summary>Opens <c>/ws</c> with the page's own origin (or <paramref name="origin"/>), from <paramref name="from"/> when given (any of 127.0.0.0/8).</summary>
    public static async Task<WebSocketSession> ConnectAsync(DaemonProcess daemon, string? origin = null, System.Net.IPAddress? from = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", origin ?? PageOrigin(daemon));
        if (from is null)
        {
            await socket.ConnectAsync(WsUri(daemon), CancellationToken.None);
            return new WebSocketSession(socket);
        }

        using var handler = new System.Net.Http.SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var tcp = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                tcp.Bind(new System.Net.IPEndPoint(from, 0));
                await tcp.ConnectAsync(context.DnsEndPoint, ct);
                return new System.Net.Sockets.NetworkStream(tcp, ownsSocket: true);
            },
        };
        using var invoker = new HttpMessageInvoker(handler);
        await socket.ConnectAsync(WsUri(daemon), invoker, CancellationToken.None);
        return new WebSocketSession(socket);
    }

    /// <summary>Opens <c>/ws</c> and logs in with a password.</summary>
    public static async Task<WebSocketSession> LoginAsync(DaemonProcess daemon, string user, string password)
    {
        var session = await ConnectAsync(daemon);
        var reply = await session.RequestAsync(new { cmd = "login", user, password });
        Assert.True(reply.Ok, reply.Head);
        return session;
    }

    /// <summary>Sends one request and waits for its reply (events arriving meanwhile are kept for <see cref="NextEventAsync"/>).</summary>
    public async Task<RawFrame> RequestAsync(object head, byte[]? body = null)
    {
        var tag = ++_tag;
        await SendMessageAsync(FrameWriter.ToArray(tag, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(head)), body ?? []));
        while (true)
        {
            var frame = await ReadFrameAsync() ?? throw new IOException($"The server closed the WebSocket ({CloseStatus} {CloseReason}).");
            if (frame.Tag == FrameLayout.PushTag)
            {
                _events.Enqueue(frame);
                continue;
            }

            Assert.Equal(tag, frame.Tag);
            return frame;
        }
    }

    /// <summary>The next frame with tag 0 (an event, or the error frame before a close).</summary>
    public async Task<RawFrame> NextEventAsync()
    {
        if (_events.TryDequeue(out var queued))
        {
            return queued;
        }

        var frame = await ReadFrameAsync() ?? throw new IOException($"The server closed the WebSocket ({CloseStatus} {CloseReason}).");
        Assert.Equal(FrameLayout.PushTag, frame.Tag);
        return frame;
    }

    /// <summary>Sends bytes as one binary message.</summary>
    public Task SendMessageAsync(ReadOnlyMemory<byte> bytes) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None).AsTask();

    /// <summary>Reads one message as a frame (checking it is exactly one whole frame); null once the server closed.</summary>
    public async Task<RawFrame?> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var message = new ArrayBufferWriter<byte>();
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(message.GetMemory(64 * 1024), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
            message.Advance(result.Count);
        }
        while (!result.EndOfMessage);

        var status = FrameReader.TryRead(new ReadOnlySequence<byte>(message.WrittenMemory), int.MaxValue - 16, out var frame, out var end, out _);
        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(message.WrittenCount, new ReadOnlySequence<byte>(message.WrittenMemory).Slice(0, end).Length);
        return new RawFrame(frame.Tag, Encoding.UTF8.GetString(frame.Head), frame.Body.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // Gone already.
            }
        }

        _socket.Dispose();
    }
}
