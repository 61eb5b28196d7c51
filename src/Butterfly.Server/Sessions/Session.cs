using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Threading.Channels;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Server.Commands;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Sessions;

/// <summary>
/// One client connection: a read loop that decodes frames and dispatches commands, and a write
/// loop that sends replies as they finish, in any order, flushing once per batch
/// (protocol/framing.md).
/// </summary>
internal sealed partial class Session
{
    private readonly ConnectionContext _connection;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Channel<OutboundFrame> _outbound =
        Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions { SingleReader = true });

    private readonly CancellationTokenSource _aborted = new();
    private readonly JsonDocumentOptions _jsonOptions;
    private readonly int _maxInFlight;
    private int _inFlight;
    private TaskCompletionSource? _inFlightDrop;
    private int _closeReason;
    private long _lastActivity;
    private volatile SessionAccount? _account;
    private volatile string? _peerDomain;

    public Session(ConnectionContext connection, ServerServices services)
    {
        _connection = connection;
        _input = connection.Transport.Input;
        _output = connection.Transport.Output;
        Services = services;
        _jsonOptions = new JsonDocumentOptions { MaxDepth = services.Options.Limits.MaxJsonDepth };
        _maxInFlight = services.Options.Limits.MaxInFlight;
        Started = Environment.TickCount64;
        _lastActivity = Started;
    }

    /// <summary>Server-wide services.</summary>
    public ServerServices Services { get; }

    /// <summary>The logged-in account, or null before login.</summary>
    public SessionAccount? Account => _account;

    /// <summary>The remote end, for logs and trace fields.</summary>
    public string RemoteEndPoint => _connection.RemoteEndPoint?.ToString() ?? "unknown";

    /// <summary>The remote IP address in trace-field form, e.g. <c>[127.0.0.1]</c>.</summary>
    public string RemoteAddress => _connection.RemoteEndPoint is System.Net.IPEndPoint ip ? $"[{ip.Address}]" : "[unknown]";

    /// <summary>Cancelled when the connection is aborted.</summary>
    public CancellationToken Aborted => _aborted.Token;

    /// <summary>When the connection was accepted (Environment.TickCount64).</summary>
    public long Started { get; }

    /// <summary>When the last frame arrived (Environment.TickCount64).</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivity);

    /// <summary>Requests received and not yet answered on the wire.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The domain this connection proved it speaks for with peer.auth, or null (protocol/peer.md, "Dialback").</summary>
    public string? PeerDomain => _peerDomain;

    /// <summary>The random id the hello reply names; dialback keys are bound to it (protocol/peer.md, "Connection id").</summary>
    public string ConnectionId { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>Marks the session as a peer session for <paramref name="domain"/> (or ends that, with null).</summary>
    /// <param name="domain">The proven peer domain.</param>
    public void SetPeer(string? domain) => _peerDomain = domain;

    /// <summary>Logs the session in (or out, with null).</summary>
    /// <param name="account">The account.</param>
    public void SetAccount(SessionAccount? account) => _account = account;

    /// <summary>
    /// Asks the session to end with a protocol error frame (timeouts, shutdown). The read loop stops,
    /// in-flight requests finish and are answered, then the error frame is sent and the connection closed.
    /// </summary>
    /// <param name="reason">The code of the error frame.</param>
    public void Close(ErrorCode reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, (int)reason, 0) == 0)
        {
            _input.CancelPendingRead();
        }
    }

    /// <summary>Runs the session until the peer goes away or the session is closed.</summary>
    public async Task RunAsync()
    {
        var writer = WriteLoopAsync();
        try
        {
            await ReadLoopAsync();
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away; nothing to answer.
        }
        catch (Exception ex)
        {
            Services.Logger.LogError(ex, "Session {Remote} failed", RemoteEndPoint);
        }
        finally
        {
            await DrainInFlightAsync();
            var reason = (ErrorCode)Volatile.Read(ref _closeReason);
            if (reason != ErrorCode.None)
            {
                _outbound.Writer.TryWrite(new OutboundFrame(FrameLayout.PushTag, Reply.Fail(reason), CountsInFlight: false));
            }

            _outbound.Writer.TryComplete();
            await writer;
            await _aborted.CancelAsync();
            await _input.CompleteAsync();
        }
    }

    private async Task ReadLoopAsync()
    {
        var maxPayload = Services.Options.Limits.MaxFrameBytes;
        while (true)
        {
            var result = await _input.ReadAsync();
            if (result.IsCanceled && Volatile.Read(ref _closeReason) != 0)
            {
                return;
            }

            var buffer = result.Buffer;
            var status = FrameStatus.Incomplete;
            var error = ErrorCode.None;
            try
            {
                while (true)
                {
                    status = FrameReader.TryRead(buffer, maxPayload, out var frame, out var end, out error);
                    if (status != FrameStatus.Complete)
                    {
                        break;
                    }

                    Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
                    if (frame.Tag == FrameLayout.PushTag)
                    {
                        // framing.md, "Tag": tag 0 is the server's own.
                        status = FrameStatus.Invalid;
                        error = ErrorCode.ProtocolReservedTag;
                        break;
                    }

                    if (Volatile.Read(ref _inFlight) >= _maxInFlight)
                    {
                        // Back-pressure: stop reading until a reply has gone out.
                        await WaitForInFlightDropAsync();
                    }

                    var barrier = Dispatch(frame);
                    buffer = buffer.Slice(end);
                    if (barrier is not null)
                    {
                        await barrier;
                    }

                    if (Volatile.Read(ref _closeReason) != 0)
                    {
                        return;
                    }
                }
            }
            finally
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (status == FrameStatus.Invalid)
            {
                Interlocked.CompareExchange(ref _closeReason, (int)error, 0);
                Services.Logger.LogInformation("Closing {Remote}: {Code}", RemoteEndPoint, error.ToWire());
                return;
            }

            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Parses and starts one request. Returns a task to wait for when the command is a barrier.</summary>
    private Task? Dispatch(in Frame frame)
    {
        var tag = frame.Tag;
        if (frame.Head.Length > Services.Options.Limits.MaxHeadBytes)
        {
            Enqueue(tag, Reply.Fail(ErrorCode.RequestHeadTooLarge), countsInFlight: true);
            return null;
        }

        JsonDocument document;
        try
        {
            // Parsed from a copy: a JsonDocument keeps reading the memory it was parsed from (a
            // single-segment sequence is not copied), and the receive buffer is reused once this
            // frame is consumed, while the command may still be running and reading its fields.
            document = JsonDocument.Parse(frame.Head.ToArray(), _jsonOptions);
        }
        catch (JsonException)
        {
            Enqueue(tag, Reply.Fail(JsonErrors.Classify(frame.Head, _jsonOptions.MaxDepth)), countsInFlight: true);
            return null;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("cmd"u8, out var cmdElement)
            || cmdElement.ValueKind != JsonValueKind.String)
        {
            document.Dispose();
            Enqueue(tag, Reply.Fail(ErrorCode.RequestInvalid, "The head must be a JSON object with a string \"cmd\"."), countsInFlight: true);
            return null;
        }

        var name = cmdElement.GetString()!;
        if (!CommandTable.TryGet(name, out var command))
        {
            document.Dispose();
            Enqueue(tag, Reply.Fail(ErrorCode.RequestUnknownCommand, $"Unknown command '{Truncate(name)}'."), countsInFlight: true);
            return null;
        }

        var denied = CheckAccess(command.Access);
        if (denied != ErrorCode.None)
        {
            document.Dispose();
            Enqueue(tag, Reply.Fail(denied), countsInFlight: true);
            return null;
        }

        // The body is copied out because the receive buffer is reused once this frame is consumed.
        var body = command.TakesBody && !frame.Body.IsEmpty ? frame.Body.ToArray() : ReadOnlyMemory<byte>.Empty;
        Interlocked.Increment(ref _inFlight);
        ValueTask<Reply> pending;
        try
        {
            pending = command.Handler(new CommandContext(this, root, body));
        }
        catch (Exception ex)
        {
            pending = ValueTask.FromResult(Fail(ex, name));
        }

        if (pending.IsCompletedSuccessfully)
        {
            var reply = pending.Result;
            document.Dispose();
            Enqueue(tag, reply, countsInFlight: true, alreadyCounted: true);
            return null;
        }

        var completion = CompleteAsync(tag, name, pending, document);
        return command.IsBarrier ? completion : null;
    }

    private async Task CompleteAsync(ulong tag, string name, ValueTask<Reply> pending, JsonDocument document)
    {
        Reply reply;
        try
        {
            reply = await pending;
        }
        catch (Exception ex)
        {
            reply = Fail(ex, name);
        }
        finally
        {
            document.Dispose();
        }

        Enqueue(tag, reply, countsInFlight: true, alreadyCounted: true);
    }

    private Reply Fail(Exception ex, string command)
    {
        if (ex is OperationCanceledException && Aborted.IsCancellationRequested)
        {
            return Reply.Fail(ErrorCode.ServerShuttingDown);
        }

        Services.Logger.LogError(ex, "Command {Command} from {Remote} failed", command, RemoteEndPoint);
        return Reply.Fail(ErrorCode.ServerInternal);
    }

    private ErrorCode CheckAccess(CommandAccess access) => access switch
    {
        CommandAccess.Authenticated when _account is null => ErrorCode.AuthRequired,
        CommandAccess.Anonymous when _account is not null || _peerDomain is not null => ErrorCode.AuthAlready,
        CommandAccess.UserOrPeer when _account is null && _peerDomain is null => ErrorCode.AuthRequired,

        // peer.md, "Session states": a logged-in user is not a peer either.
        CommandAccess.Peer when _peerDomain is null => ErrorCode.PeerNotAuthenticated,
        _ => ErrorCode.None,
    };

    private void Enqueue(ulong tag, Reply reply, bool countsInFlight, bool alreadyCounted = false)
    {
        if (countsInFlight && !alreadyCounted)
        {
            Interlocked.Increment(ref _inFlight);
        }

        if (!_outbound.Writer.TryWrite(new OutboundFrame(tag, reply, countsInFlight)))
        {
            // The write loop has ended (the peer is gone): the reply has nowhere to go.
            ReleaseInFlight(1);
        }
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
