using System.Buffers;
using System.Net.Sockets;
using Butterfly.Cli.Commands;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Framing;

namespace Butterfly.Cli.Operator;

/// <summary>
/// A connection to a running daemon's control socket (protocol/control.md) on the shared connection
/// core: requests get tags from <see cref="PendingRequests{TReply}"/>, replies are matched by tag,
/// and an error frame with tag 0 (the daemon stopping, or refusing this user) fails what waits.
/// </summary>
internal sealed class ControlSocketClient : IFrameReceiver, IAsyncDisposable
{
    // An operator command waits for the store (and for bcrypt on user.add); a daemon that takes
    // longer than this is stuck, and the operator should hear so rather than wait for ever.
    private static readonly TimeSpan _requestTimeout = TimeSpan.FromMinutes(2);

    private readonly NetworkStream _stream;
    private readonly FrameConnection _connection;
    private readonly PendingRequests<byte[]> _requests = new(static p => new TimeoutException(
        $"The daemon did not answer on its control socket within {p.Timeout.TotalSeconds:0} s."));

    private ControlSocketClient(Socket socket, string path)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        _connection = new FrameConnection(
            new StreamDuplexPipe(_stream, readBufferSize: 64 * 1024, minimumReadSize: 16 * 1024, writeBufferSize: 4 * 1024),
            this,
            new FrameConnectionOptions
            {
                Routing = FrameRouting.Replies,

                // Replies come from the daemon of this machine; a long queue list is one frame.
                MaxFrameBytes = 256 << 20,
                Description = path,
            },
            socket.Close);
        _connection.Start();
    }

    /// <summary>Connects to the control socket at <paramref name="path"/>.</summary>
    /// <param name="path">The socket file.</param>
    /// <param name="ct">Cancels the connect.</param>
    /// <exception cref="SocketException">Nobody listens there (no file, or one a crashed daemon left), or this user may not connect.</exception>
    public static async Task<ControlSocketClient> ConnectAsync(string path, CancellationToken ct)
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

        return new ControlSocketClient(socket, path);
    }

    /// <summary>Sends one request head and returns the reply head.</summary>
    /// <param name="head">The UTF-8 JSON head; unchanged until the task completes.</param>
    /// <param name="ct">Stops waiting.</param>
    public Task<byte[]> RequestAsync(ReadOnlyMemory<byte> head, CancellationToken ct) =>
        _requests.SendAsync(_connection, head, ReadOnlyMemory<byte>.Empty, _requestTimeout, ct);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _requests.Dispose();
        _connection.Abort();
        await _connection.Completion;
        await _stream.DisposeAsync();
    }

    void IFrameReceiver.OnReply(in Frame frame)
    {
        if (_requests.TryTake(frame.Tag, out var pending))
        {
            pending.Complete(frame.Head.ToArray());
        }
    }

    void IFrameReceiver.OnTagZero(in Frame frame)
    {
        // control.md, "Errors": an error frame comes just before the daemon closes the connection.
        var head = frame.Head.ToArray();
        _requests.FailAll(FrameHeads.TryScanReply(head, out var ok, out var code, out var message) && ok == false
            ? new CliFailure(code ?? "connection", message ?? "The daemon closed the control connection.")
            : new CliFailure("connection", "The daemon sent a frame with tag 0 that is not an error."));
        _connection.Stop();
    }

    void IFrameReceiver.OnReadingStopped(ConnectionError? error) =>
        _requests.FailAll(new CliFailure("connection", error is null
            ? "The daemon closed the control connection."
            : $"The control connection to the daemon failed: {error.Message}"));
}
