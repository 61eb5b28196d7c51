using System.Buffers;
using System.Text.Json;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Server.Configuration;
using Butterfly.Server.Telemetry;
using Butterfly.Server.Wire;
using Butterfly.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Filters;

/// <summary>
/// One filter daemon's connection to the filter socket, on the shared connection core. Both
/// sides send requests (protocol/filter.md, "Requests both ways"): the filter's hello,
/// registration and queries are answered here; the server's <c>filter.message</c> requests carry
/// tags of the server's own numbering, and their replies are matched by tag.
/// </summary>
internal sealed partial class FilterConnection : IFrameReceiver
{
    private static readonly byte[] _malformedReply = """{"ok":false,"code":"request.malformed-json"}"""u8.ToArray();

    private readonly FrameConnection _connection;
    private readonly PendingRequests<FilterResponse> _requests = new();
    private readonly ButterflyOptions _options;
    private readonly IMailStore _store;
    private readonly FilterRegistry _registry;
    private readonly ILogger _logger;
    private readonly JsonDocumentOptions _jsonOptions;
    private SemaphoreSlim _slots = new(0);
    private volatile bool _hello;

    public FilterConnection(ConnectionContext connection, ButterflyOptions options, IMailStore store, FilterRegistry registry, ILogger logger)
    {
        _options = options;
        _store = store;
        _registry = registry;
        _logger = logger;
        _jsonOptions = new JsonDocumentOptions { MaxDepth = options.Limits.MaxJsonDepth };
        _connection = new FrameConnection(
            connection.Transport,
            this,
            new FrameConnectionOptions
            {
                Routing = FrameRouting.Both,
                AcceptsTagZero = false,
                MaxFrameBytes = options.Limits.MaxFrameBytes,
                MaxIncomingInFlight = options.Limits.MaxInFlight,
                Description = "a filter",
            });
    }

    /// <summary>The registered filter name; null before <c>filter.register</c>.</summary>
    public string? Name { get; private set; }

    /// <summary>The stages registered.</summary>
    public IReadOnlySet<string> Stages { get; private set; } = new HashSet<string>();

    /// <summary>The actions the filter declared.</summary>
    public IReadOnlySet<string> Actions { get; private set; } = new HashSet<string>();

    /// <summary>The addresses this connection claimed (normalized).</summary>
    public IReadOnlyList<string> Claims { get; private set; } = [];

    /// <summary>Requests the filter accepts in flight on this connection.</summary>
    public int MaxInFlight { get; private set; }

    /// <summary>Request slots free now.</summary>
    public int FreeSlots => _connection.IsOpen ? _slots.CurrentCount : -1;

    /// <summary>Whether this connection receives messages of <paramref name="stage"/>.</summary>
    public bool Serves(FilterStage stage) => stage == FilterStage.Claim || Stages.Contains(FilterRequest.StageName(stage));

    /// <summary>Waits for a free request slot.</summary>
    public Task AcquireSlotAsync(CancellationToken ct) => _slots.WaitAsync(ct);

    /// <summary>Gives a request slot back.</summary>
    public void ReleaseSlot() => _slots.Release();

    /// <summary>Sends a request with the next server tag and waits for the filter's reply.</summary>
    /// <exception cref="FilterLostException">The connection closed first.</exception>
    public async Task<FilterResponse> RequestAsync(byte[] head, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        try
        {
            return await _requests.SendAsync(_connection, head, body, Timeout.InfiniteTimeSpan, ct);
        }
        catch (IOException)
        {
            throw new FilterLostException();
        }
    }

    /// <summary>Ends the connection in order with an error frame (shutdown); replies owed are written first.</summary>
    /// <param name="reason">The error frame's code.</param>
    public void Close(ErrorCode reason) => _connection.Stop(Reply.Fail(reason).Head);

    /// <summary>Serves the connection until the filter goes away or the server stops.</summary>
    public async Task RunAsync()
    {
        _registry.Track(this);
        SessionKinds.Opened(SessionKinds.Filter);
        try
        {
            await _connection.RunAsync();
        }
        finally
        {
            SessionKinds.Closed(SessionKinds.Filter);
            _registry.Untrack(this);
        }
    }

    ValueTask IFrameReceiver.OnRequestAsync(in Frame frame)
    {
        var tag = frame.Tag;
        JsonDocument document;
        try
        {
            // Copied: the document outlives this frame's receive buffer (the command is still running when it is reused).
            document = JsonDocument.Parse(frame.Head.ToArray().AsMemory(), _jsonOptions);
        }
        catch (JsonException)
        {
            _ = ReplyAsync(tag, Reply.Fail(ErrorCode.RequestMalformedJson));
            return ValueTask.CompletedTask;
        }

        if (!document.RootElement.TryGetProperty("cmd"u8, out var cmd) || cmd.ValueKind != JsonValueKind.String)
        {
            document.Dispose();
            _ = ReplyAsync(tag, Reply.Fail(ErrorCode.RequestInvalid, "The head must be a JSON object with a string \"cmd\"."));
            return ValueTask.CompletedTask;
        }

        _ = ServeAsync(tag, document);
        return ValueTask.CompletedTask;
    }

    void IFrameReceiver.OnReply(in Frame frame)
    {
        if (_requests.TryTake(frame.Tag, out var pending))
        {
            JsonDocument head;
            try
            {
                head = JsonDocument.Parse(frame.Head.ToArray().AsMemory(), _jsonOptions);
            }
            catch (JsonException)
            {
                // filter.md, "Failures": a malformed verdict is a filter failure.
                head = JsonDocument.Parse(_malformedReply);
            }

            pending.Complete(new FilterResponse(head, frame.Body.ToArray()));
            return;
        }

        if (FrameHeads.Classify(frame.Head) == HeadKind.Malformed)
        {
            // Not JSON and no request of ours waits for this tag: a malformed request of the filter's.
            _connection.Send(frame.Tag, Reply.Fail(ErrorCode.RequestMalformedJson).Head);
        }

        // Otherwise a reply to a request that timed out already, or to nothing: dropped (filter.md, "Timeouts").
    }

    ReadOnlyMemory<byte> IFrameReceiver.OnProtocolError(ErrorCode code)
    {
        _logger.LogInformation("Closing filter connection {Name}: {Code}", Name ?? "(unregistered)", code.ToWire());
        return Reply.Fail(code).Head;
    }

    void IFrameReceiver.OnReadingStopped(ConnectionError? error)
    {
        if (error?.Exception is { } ex && ex is not (IOException or ConnectionResetException or OperationCanceledException or ObjectDisposedException or InvalidOperationException))
        {
            _logger.LogError(ex, "Filter connection {Name} failed", Name ?? "(unregistered)");
        }

        _registry.Remove(this);
        _requests.FailAll(new IOException("The filter connection closed."));
        if (Name is not null)
        {
            _logger.LogInformation("Filter {Name} disconnected ({Remaining} connection(s) left)", Name, _registry.ConnectionCount(Name));
        }
    }

    /// <summary>Runs one of the filter's requests; whatever happens, it gets its one reply.</summary>
    private async Task ServeAsync(ulong tag, JsonDocument document)
    {
        try
        {
            await HandleRequestAsync(tag, document);
        }
        catch (Exception ex)
        {
            var incident = Incidents.NewId();
            _logger.LogError(ex, "Filter request from {Name} failed (incident {Incident})", Name ?? "(unregistered)", incident);
            await ReplyAsync(tag, Incidents.Fail(incident));
        }
    }

    private Task ReplyAsync(ulong tag, Reply reply)
    {
        _connection.Reply(tag, reply.Head, reply.Body);
        return Task.CompletedTask;
    }
}
