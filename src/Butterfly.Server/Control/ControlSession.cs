using System.Buffers;
using System.Net.Sockets;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Server.Telemetry;
using Butterfly.Server.Wire;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Control;

/// <summary>
/// One operator connection on the control socket, on the shared connection core: requests are
/// answered as they finish, in any order (protocol/framing.md), through a <see cref="ControlConversation"/>.
/// </summary>
internal sealed class ControlSession : IFrameReceiver
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly FrameConnection _connection;
    private readonly ControlConversation _conversation;
    private readonly CancellationTokenSource _aborted = new();
    private readonly ILogger _logger;

    public ControlSession(Socket socket, OperatorServices services, string peer)
    {
        _socket = socket;
        _logger = services.Logger;
        Peer = peer;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _conversation = new ControlConversation(services);
        _connection = new FrameConnection(
            new StreamDuplexPipe(_stream, readBufferSize: 16 * 1024, minimumReadSize: 4 * 1024, writeBufferSize: 16 * 1024),
            this,
            new FrameConnectionOptions
            {
                Routing = FrameRouting.Requests,
                MaxFrameBytes = ControlSocket.MaxRequestFrameBytes,
                MaxIncomingInFlight = 16,
                Description = "the control socket (" + peer + ")",
            },
            () => _socket.Close());
    }

    /// <summary>Who connected, for logs: <c>pid 1234, uid 1000</c>.</summary>
    public string Peer { get; }

    /// <summary>Runs the session until the operator goes away or the session is closed.</summary>
    /// <param name="refusal">When not <see cref="ErrorCode.None"/>, the session reads nothing, sends this error frame and closes.</param>
    public async Task RunAsync(ErrorCode refusal = ErrorCode.None)
    {
        if (refusal != ErrorCode.None)
        {
            Close(refusal);
        }

        using var scope = _logger.BeginScope("control {Peer}", Peer);
        SessionKinds.Opened(SessionKinds.Control);
        try
        {
            await _connection.RunAsync();
        }
        finally
        {
            SessionKinds.Closed(SessionKinds.Control);
            await _aborted.CancelAsync();
            await _stream.DisposeAsync();
            _aborted.Dispose();
        }
    }

    /// <summary>Stops reading, answers what is in flight, then sends an error frame with <paramref name="reason"/> and closes.</summary>
    /// <param name="reason">The error frame's code.</param>
    public void Close(ErrorCode reason) => _connection.Stop(Reply.Fail(reason).Head);

    ValueTask IFrameReceiver.OnRequestAsync(in Frame frame)
    {
        var tag = frame.Tag;

        // A copy: the parsed head is read while the command runs, after the receive buffer has moved on.
        var pending = _conversation.ExecuteAsync(frame.Head.ToArray(), _aborted.Token);
        if (pending.IsCompletedSuccessfully)
        {
            var reply = pending.Result;
            _connection.Reply(tag, reply.Head);
        }
        else
        {
            _ = ReplyWhenDoneAsync(tag, pending);
        }

        return ValueTask.CompletedTask;
    }

    ReadOnlyMemory<byte> IFrameReceiver.OnProtocolError(ErrorCode code)
    {
        _logger.LogInformation("Closing the control connection of {Peer}: {Code}", Peer, code.ToWire());
        return Reply.Fail(code).Head;
    }

    void IFrameReceiver.OnReadingStopped(ConnectionError? error)
    {
        // The operator going away is ordinary; anything else in the read path is a bug worth a log line.
        if (error?.Exception is { } ex && ex is not (IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException))
        {
            _logger.LogError(ex, "The control connection of {Peer} failed", Peer);
        }
    }

    private async Task ReplyWhenDoneAsync(ulong tag, ValueTask<Reply> pending)
    {
        // The conversation turns every failure into a reply; this await does not throw.
        var reply = await pending;
        _connection.Reply(tag, reply.Head);
    }
}
