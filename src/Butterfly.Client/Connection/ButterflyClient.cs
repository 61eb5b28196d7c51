using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Butterfly.Client.Internal;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;

namespace Butterfly.Client;

/// <summary>
/// A connection to a Butterfly server speaking the client protocol (protocol/client.md). Any
/// number of requests may be in flight at once from any number of threads: each gets its own
/// tag, frames are written whole and in batches, and replies are matched by tag in whatever
/// order they arrive. Frames the server pushes with tag 0 appear on <see cref="Events"/>.
/// </summary>
public sealed partial class ButterflyClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly ButterflyClientOptions _options;
    private readonly FrameConnection _connection;
    private readonly PendingRequests<ButterflyReply> _requests = new(static p => new TimeoutException(
        $"No reply from the server within the request timeout (tag {p.Tag})."));

    private readonly Channel<ButterflyReply> _events;
    private ButterflyConnectionException? _closeError;
    private ServerHello? _server;

    private ButterflyClient(Socket socket, Stream stream, ButterflyClientOptions options)
    {
        _socket = socket;
        _options = options;
        _stream = stream;
        _events = Channel.CreateBounded<ButterflyReply>(new BoundedChannelOptions(Math.Max(1, options.MaxQueuedEvents))
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _connection = new FrameConnection(
            new StreamDuplexPipe(_stream),
            new Receiver(this),
            new FrameConnectionOptions { Routing = FrameRouting.Replies, MaxFrameBytes = options.MaxFrameBytes, Description = "the server" },
            CloseSocket);
        _connection.Start();
    }

    /// <summary>What the server announced in its hello reply.</summary>
    public ServerHello Server => _server ?? throw new InvalidOperationException("The hello exchange has not completed.");

    /// <summary>
    /// Frames the server pushed with tag 0 that are not errors (<see cref="ButterflyClientOptions.MaxQueuedEvents"/>
    /// are kept if nobody reads; later ones are dropped). <see cref="ReadEventsAsync"/> reads them typed.
    /// </summary>
    public ChannelReader<ButterflyReply> Events => _events.Reader;

    /// <summary>True until the connection fails or is disposed.</summary>
    public bool IsConnected => Volatile.Read(ref _closeError) is null;

    /// <summary>Why the connection closed, or null while it is open.</summary>
    public ButterflyConnectionException? CloseReason => Volatile.Read(ref _closeError);

    /// <summary>How many requests are waiting for their replies.</summary>
    public int PendingCount => _requests.Count;

    /// <summary>
    /// Connects over TCP, with TLS unless <see cref="ButterflyClientOptions.Tls"/> says otherwise
    /// (by default plain only to a loopback host), and performs the hello exchange.
    /// </summary>
    /// <param name="host">The server's host name or IP address.</param>
    /// <param name="port">The server's port (its <c>tls.listen</c> port for TLS).</param>
    /// <param name="options">Connection settings; defaults when null.</param>
    /// <param name="ct">Cancels the connect.</param>
    /// <exception cref="ButterflyConnectionException">The server cannot be reached, or its certificate is refused (<c>Code</c> <c>tls.untrusted</c>, <c>tls.name-mismatch</c>, <c>tls.pin-mismatch</c>, <c>tls.handshake-failed</c>).</exception>
    /// <exception cref="TimeoutException">Connecting took longer than <see cref="ButterflyClientOptions.ConnectTimeout"/>.</exception>
    /// <exception cref="ButterflyException">The server refused the hello.</exception>
    public static async Task<ButterflyClient> ConnectAsync(string host, int port, ButterflyClientOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ButterflyClientOptions();
        var endpoint = new ButterflyEndpoint(host, port);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream;
        using (var connectCts = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            connectCts.CancelAfter(options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(host, port, connectCts.Token);
                stream = new NetworkStream(socket, ownsSocket: true);
                if (UsesTls(host, options))
                {
                    stream = await StartTlsAsync(stream, endpoint, options, connectCts.Token);
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                socket.Dispose();
                throw new TimeoutException($"Connecting to {endpoint} took longer than {options.ConnectTimeout.TotalSeconds:0.#} s.");
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                throw new ButterflyConnectionException($"Cannot connect to {endpoint}: {ex.Message}", ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        var client = new ButterflyClient(socket, stream, options);
        try
        {
            client._server = await client.HelloAsync(ct);
            client._requests.LimitInFlight(options.MaxInFlight ?? client._server.Limits.MaxInFlight);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects to <c>host:port</c> (or <c>[v6address]:port</c>) and performs the hello exchange.</summary>
    /// <param name="endpoint">
    /// The server address; without a port, <see cref="ButterflyEndpoint.DefaultTlsPort"/> when the
    /// connection speaks TLS, else <see cref="ButterflyEndpoint.DefaultPort"/>.
    /// </param>
    /// <param name="options">Connection settings; defaults when null.</param>
    /// <param name="ct">Cancels the connect.</param>
    /// <exception cref="FormatException">The endpoint cannot be parsed.</exception>
    public static Task<ButterflyClient> ConnectAsync(string endpoint, ButterflyClientOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ButterflyClientOptions();
        var parsed = ButterflyEndpoint.Parse(endpoint, options);
        return ConnectAsync(parsed.Host, parsed.Port, options, ct);
    }

    /// <summary>
    /// Sends one request and waits for its reply. An error reply is returned, not thrown. The
    /// head and body memory must stay unchanged until the returned task completes.
    /// </summary>
    /// <param name="headJson">The UTF-8 JSON head, e.g. <c>{"cmd":"ping"}</c>.</param>
    /// <param name="body">The binary body; empty for most commands.</param>
    /// <param name="timeout">How long to wait; <see cref="ButterflyClientOptions.RequestTimeout"/> when null, never with <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="ct">Cancels the wait (the request may still reach the server).</param>
    /// <exception cref="ButterflyConnectionException">The connection failed before the reply came.</exception>
    /// <exception cref="TimeoutException">No reply within the timeout.</exception>
    /// <exception cref="ButterflyException"><c>protocol.frame-too-large</c>: the frame exceeds the limit the server announced (nothing is sent).</exception>
    public Task<ButterflyReply> RequestAsync(ReadOnlyMemory<byte> headJson, ReadOnlyMemory<byte> body = default, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        if (Volatile.Read(ref _closeError) is { } closed)
        {
            return Task.FromException<ButterflyReply>(closed);
        }

        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<ButterflyReply>(ct);
        }

        // A frame over the server's limit would make it close the connection (protocol.frame-too-large)
        // and fail every other request in flight: refuse it here and keep the connection.
        var payload = (long)FrameLayout.MinPayloadSize + headJson.Length + body.Length;
        if (_server is { Limits.MaxFrameBytes: > 0 } hello && payload > hello.Limits.MaxFrameBytes)
        {
            return Task.FromException<ButterflyReply>(new ButterflyException(
                ErrorCode.ProtocolFrameTooLarge.ToWire(),
                $"The request is {payload:N0} bytes; the server accepts frames of at most {hello.Limits.MaxFrameBytes:N0} bytes."));
        }

        return _requests.SendAsync(_connection, headJson, body, timeout ?? _options.RequestTimeout, ct);
    }

    /// <summary>Sends one request with a head built as a <see cref="JsonObject"/>; see the byte overload.</summary>
    /// <param name="head">The head, e.g. <c>{"cmd": "ping"}</c>.</param>
    /// <param name="body">The binary body.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="ct">Cancels the wait.</param>
    public Task<ButterflyReply> RequestAsync(JsonObject head, ReadOnlyMemory<byte> body = default, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            head.WriteTo(writer);
        }

        return RequestAsync(buffer.WrittenMemory, body, timeout, ct);
    }

    /// <summary>Closes the connection. Requests still waiting fail with <see cref="ButterflyConnectionException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Close(new ButterflyConnectionException("The client was disposed."));
        await _connection.Completion;
        await _stream.DisposeAsync();
    }

    private async Task<ServerHello> HelloAsync(CancellationToken ct)
    {
        var head = HeadWriter.Build(Commands.Hello, _options.ClientName, static (w, name) =>
        {
            w.WriteNumber("version"u8, ProtocolVersion.Current);
            w.WriteString("client"u8, name);
        });
        var reply = (await RequestAsync(head, default, _options.ConnectTimeout, ct)).EnsureOk();
        var root = reply.Head;
        var limits = root.TryGetProperty("limits", out var l) && l.ValueKind == JsonValueKind.Object
            ? new ServerLimits(
                ReplyReader.Int64(l, "maxFrameBytes"),
                ReplyReader.Int64(l, "maxMessageBytes"),
                (int)ReplyReader.Int64(l, "maxRecipients"),
                (int)ReplyReader.Int64(l, "maxInFlight"))
            : new ServerLimits(0, 0, 0, 0);
        return new ServerHello(
            (int)ReplyReader.Int64(root, "version"),
            ReplyReader.String(root, "server") ?? "",
            ReplyReader.Strings(root, "domains"),
            ReplyReader.Strings(root, "capabilities"),
            limits);
    }
}
