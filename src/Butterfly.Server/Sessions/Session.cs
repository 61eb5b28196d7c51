using System.Buffers;
using System.Text.Json;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Server.Commands;
using Butterfly.Server.Events;
using Butterfly.Server.Telemetry;
using Butterfly.Server.Wire;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Sessions;

/// <summary>
/// One client (or peer) connection on the shared connection core: each request is parsed,
/// authorized against <see cref="CommandTable"/> and started; its reply goes out as soon as it
/// finishes, in any order (protocol/framing.md).
/// </summary>
internal sealed class Session : IFrameReceiver, ICommandSession
{
    private readonly ConnectionContext _transport;
    private readonly FrameConnection _connection;
    private readonly CancellationTokenSource _aborted = new();
    private readonly JsonDocumentOptions _jsonOptions;
    private volatile SessionAccount? _account;
    private volatile string? _peerDomain;
    private EventSubscriber? _subscription;

    public Session(ConnectionContext transport, ServerServices services, ByteBudget frameBudget)
    {
        _transport = transport;
        Services = services;
        _jsonOptions = new JsonDocumentOptions { MaxDepth = services.Options.Limits.MaxJsonDepth };
        var limits = services.Options.Limits;
        _connection = new FrameConnection(
            transport.Transport,
            this,
            new FrameConnectionOptions
            {
                Routing = FrameRouting.Requests,

                // framing.md, "Limits": small until the connection has logged in (SetAccount, SetPeer).
                MaxFrameBytes = limits.MaxFrameBytesBeforeLogin,
                MaxIncomingInFlight = limits.MaxInFlight,
                FrameBudget = frameBudget,
                MaxReplyBacklogBytes = limits.ReplyBacklogBytes,
                WriteTimeout = TimeSpan.FromSeconds(limits.WriteTimeoutSeconds),
                Description = RemoteEndPoint,
            },
            () => transport.Abort(new ConnectionAbortedException("The connection core closed the connection.")));
        Started = Environment.TickCount64;
    }

    /// <summary>Server-wide services.</summary>
    public ServerServices Services { get; }

    /// <summary>The logged-in account, or null before login.</summary>
    public SessionAccount? Account => _account;

    /// <summary>The remote end, for logs and trace fields.</summary>
    public string RemoteEndPoint => _transport.RemoteEndPoint?.ToString() ?? "unknown";

    /// <summary>The remote IP address in trace-field form, e.g. <c>[127.0.0.1]</c>.</summary>
    public string RemoteAddress => _transport.RemoteEndPoint is System.Net.IPEndPoint ip ? $"[{ip.Address}]" : "[unknown]";

    /// <summary>Cancelled when the connection is aborted.</summary>
    public CancellationToken Aborted => _aborted.Token;

    /// <summary>When the connection was accepted (Environment.TickCount64).</summary>
    public long Started { get; }

    /// <summary>When the last frame arrived (Environment.TickCount64).</summary>
    public long LastActivity => _connection.LastActivity;

    /// <summary>Requests received and not yet answered on the wire.</summary>
    public int InFlight => _connection.IncomingInFlight;

    /// <summary>The domain this connection proved it speaks for with peer.auth, or null (protocol/peer.md, "Dialback").</summary>
    public string? PeerDomain => _peerDomain;

    /// <summary>The random id the hello reply names; dialback keys are bound to it (protocol/peer.md, "Connection id").</summary>
    public string ConnectionId { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>Marks the session as a peer session for <paramref name="domain"/> (or ends that, with null).</summary>
    /// <param name="domain">The proven peer domain.</param>
    public void SetPeer(string? domain)
    {
        if ((_peerDomain is null) != (domain is null))
        {
            SessionKinds.Became(domain is null ? SessionKinds.Peer : SessionKinds.Client, domain is null ? SessionKinds.Client : SessionKinds.Peer);
        }

        _peerDomain = domain;
        UpdateFrameLimit();
    }

    /// <summary>Logs the session in (or out, with null).</summary>
    /// <param name="account">The account.</param>
    public void SetAccount(SessionAccount? account)
    {
        _account = account;
        UpdateFrameLimit();

        // Events belong to the account that subscribed: logging out ends them.
        Services.Events.Unsubscribe(ReplaceSubscription(null));
    }

    /// <inheritdoc/>
    public EventSubscriber? ReplaceSubscription(EventSubscriber? subscription) => Interlocked.Exchange(ref _subscription, subscription);

    /// <inheritdoc/>
    public bool Push(ReadOnlyMemory<byte> head, IDisposable? lease) => _connection.Send(FrameLayout.PushTag, head, default, lease);

    /// <summary>
    /// Asks the session to end with a protocol error frame (timeouts, shutdown). Reading stops,
    /// in-flight requests finish and are answered, then the error frame is sent and the connection closed.
    /// </summary>
    /// <param name="reason">The code of the error frame.</param>
    public void Close(ErrorCode reason) => _connection.Stop(Reply.Fail(reason).Head);

    /// <summary>Runs the session until the peer goes away or the session is closed.</summary>
    public async Task RunAsync()
    {
        // Every line logged for this connection (its commands, their deliveries) carries its id.
        using var scope = Services.Logger.BeginScope("session {SessionId} {Remote}", ConnectionId, RemoteEndPoint);
        SessionKinds.Opened(SessionKinds.Client);
        try
        {
            await _connection.RunAsync();
        }
        finally
        {
            SessionKinds.Closed(_peerDomain is null ? SessionKinds.Client : SessionKinds.Peer);
            Services.Events.Unsubscribe(ReplaceSubscription(null));
            await _aborted.CancelAsync();
        }
    }

    ValueTask IFrameReceiver.OnRequestAsync(in Frame frame)
    {
        var barrier = Dispatch(frame);
        return barrier is null ? ValueTask.CompletedTask : new ValueTask(barrier);
    }

    ReadOnlyMemory<byte> IFrameReceiver.OnProtocolError(ErrorCode code)
    {
        Services.Logger.LogInformation("Closing {Remote}: {Code}", RemoteEndPoint, code.ToWire());
        return Reply.Fail(code).Head;
    }

    void IFrameReceiver.OnReadingStopped(ConnectionError? error)
    {
        // The peer going away is ordinary; anything else in the read path is a bug worth a log line.
        if (error is { WriteTimedOut: true })
        {
            Services.Logger.LogInformation("Closing {Remote}: {Reason}", RemoteEndPoint, error.Message);
        }

        if (error?.Exception is { } ex && ex is not (IOException or ConnectionResetException or OperationCanceledException or ObjectDisposedException or InvalidOperationException))
        {
            Services.Logger.LogError(ex, "Session {Remote} failed", RemoteEndPoint);
        }
    }

    /// <summary>Parses and starts one request. Returns a task to wait for when the command is a barrier.</summary>
    private Task? Dispatch(in Frame frame)
    {
        var tag = frame.Tag;
        if (frame.Head.Length > Services.Options.Limits.MaxHeadBytes)
        {
            Enqueue(tag, Reply.Fail(ErrorCode.RequestHeadTooLarge));
            return null;
        }

        // Parsed from a copy: a JsonDocument keeps reading the memory it was parsed from (a
        // single-segment sequence is not copied), and the receive buffer is reused once this
        // frame is consumed, while the command may still be running and reading its fields.
        var head = frame.Head.ToArray();
        if (JsonErrors.TextProblem(head) is { } notText)
        {
            Enqueue(tag, Reply.Fail(ErrorCode.RequestMalformedJson, notText));
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(head, _jsonOptions);
        }
        catch (JsonException)
        {
            Enqueue(tag, Reply.Fail(JsonErrors.Classify(frame.Head, _jsonOptions.MaxDepth)));
            return null;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("cmd"u8, out var cmdElement)
            || cmdElement.ValueKind != JsonValueKind.String)
        {
            document.Dispose();
            Enqueue(tag, Reply.Fail(ErrorCode.RequestInvalid, "The head must be a JSON object with a string \"cmd\"."));
            return null;
        }

        var name = cmdElement.GetString()!;
        if (!CommandTable.TryGet(name, out var command))
        {
            document.Dispose();
            Enqueue(tag, Reply.Fail(ErrorCode.RequestUnknownCommand, $"Unknown command '{Truncate(name)}'."));
            return null;
        }

        var denied = CheckAccess(command.Access);
        if (denied != ErrorCode.None)
        {
            document.Dispose();
            Enqueue(tag, Reply.Fail(denied));
            return null;
        }

        // The body is copied out because the receive buffer is reused once this frame is consumed.
        var body = command.TakesBody && !frame.Body.IsEmpty ? frame.Body.ToArray() : ReadOnlyMemory<byte>.Empty;
        if (command.LargeReply)
        {
            // framing.md, "Limits": room for a whole message is held in the reply backlog before
            // the command runs; without it, reading stops until the client takes its answers.
            var room = (long)Services.Options.Limits.MaxMessageBytes + Services.Options.Limits.MaxHeadBytes;
            var reserved = _connection.ReserveReplyAsync(room);
            if (!reserved.IsCompletedSuccessfully || !reserved.Result)
            {
                return StartWhenReservedAsync(reserved, tag, name, command, document, body, room);
            }

            return Start(tag, name, command, document, body, room);
        }

        return Start(tag, name, command, document, body, 0);
    }

    private async Task StartWhenReservedAsync(Task<bool> reserved, ulong tag, string name, CommandDescriptor command, JsonDocument document, ReadOnlyMemory<byte> body, long room)
    {
        if (!await reserved)
        {
            document.Dispose();
            Enqueue(tag, Reply.Fail(ErrorCode.ServerShuttingDown));
            return;
        }

        if (Start(tag, name, command, document, body, room) is { } barrier)
        {
            await barrier;
        }
    }

    /// <summary>Runs a parsed, authorized request; <paramref name="reserved"/> is the reply backlog room held for its answer.</summary>
    private Task? Start(ulong tag, string name, CommandDescriptor command, JsonDocument document, ReadOnlyMemory<byte> body, long reserved)
    {
        var root = document.RootElement;
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
            Enqueue(tag, reply, reserved);
            return null;
        }

        var completion = CompleteAsync(tag, name, pending, document, reserved);
        return command.IsBarrier ? completion : null;
    }

    private async Task CompleteAsync(ulong tag, string name, ValueTask<Reply> pending, JsonDocument document, long reserved)
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

        Enqueue(tag, reply, reserved);
    }

    private Reply Fail(Exception ex, string command)
    {
        if (ex is OperationCanceledException && Aborted.IsCancellationRequested)
        {
            return Reply.Fail(ErrorCode.ServerShuttingDown);
        }

        // A full disk is the store's to name (storage.full, temporary), not an internal error.
        if (StoreErrors.FromException(ex) is { } named)
        {
            Services.Logger.LogWarning("Command {Command} from {Remote} failed: {Problem}", command, RemoteEndPoint, ex.Message);
            return named;
        }

        var incident = Incidents.NewId();
        Services.Logger.LogError(ex, "Command {Command} from {Remote} failed (incident {Incident})", command, RemoteEndPoint, incident);
        return Incidents.Fail(incident);
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

    private void Enqueue(ulong tag, Reply reply, long reserved = 0) => _connection.Reply(tag, reply.Head, reply.Body, reserved: reserved);

    private void UpdateFrameLimit()
    {
        var limits = Services.Options.Limits;
        _connection.MaxFrameBytes = _account is null && _peerDomain is null ? limits.MaxFrameBytesBeforeLogin : limits.MaxFrameBytes;
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
