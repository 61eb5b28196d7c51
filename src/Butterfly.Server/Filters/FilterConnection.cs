using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Server.Configuration;
using Butterfly.Server.Sessions;
using Butterfly.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Filters;

/// <summary>
/// One filter daemon's connection to the filter socket. Both sides send requests
/// (protocol/filter.md, "Requests both ways"): the filter's hello, registration and queries are
/// answered here; the server's <c>filter.message</c> requests carry tags of the server's own
/// numbering, and their replies are matched by tag.
/// </summary>
internal sealed partial class FilterConnection
{
    private readonly ConnectionContext _connection;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly ButterflyOptions _options;
    private readonly MailStore _store;
    private readonly FilterRegistry _registry;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _pendingWrites;
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<FilterResponse>> _pending = new();
    private readonly JsonDocumentOptions _jsonOptions;
    private SemaphoreSlim _slots = new(0);
    private long _nextTag;
    private volatile bool _closed;
    private volatile bool _hello;

    public FilterConnection(ConnectionContext connection, ButterflyOptions options, MailStore store, FilterRegistry registry, ILogger logger)
    {
        _connection = connection;
        _input = connection.Transport.Input;
        _output = connection.Transport.Output;
        _options = options;
        _store = store;
        _registry = registry;
        _logger = logger;
        _jsonOptions = new JsonDocumentOptions { MaxDepth = options.Limits.MaxJsonDepth };
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
    public int FreeSlots => _closed ? -1 : _slots.CurrentCount;

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
        var tag = (ulong)Interlocked.Increment(ref _nextTag);
        var completion = new TaskCompletionSource<FilterResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[tag] = completion;
        try
        {
            if (_closed || !await WriteAsync(tag, head, body))
            {
                throw new FilterLostException();
            }

            return await completion.Task.WaitAsync(ct);
        }
        finally
        {
            _pending.TryRemove(tag, out _);
        }
    }

    /// <summary>Serves the connection until the filter goes away or the server stops.</summary>
    public async Task RunAsync()
    {
        try
        {
            await ReadLoopAsync();
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or OperationCanceledException or ObjectDisposedException)
        {
            // The filter went away (crashed or was stopped).
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Filter connection {Name} failed", Name ?? "(unregistered)");
        }
        finally
        {
            _closed = true;
            _registry.Remove(this);
            foreach (var (tag, pending) in _pending)
            {
                if (_pending.TryRemove(tag, out _))
                {
                    pending.TrySetException(new FilterLostException());
                }
            }

            if (Name is not null)
            {
                _logger.LogInformation("Filter {Name} disconnected ({Remaining} connection(s) left)", Name, _registry.ConnectionCount(Name));
            }

            await _writeLock.WaitAsync();
            try
            {
                await _output.CompleteAsync();
                await _input.CompleteAsync();
            }
            finally
            {
                _writeLock.Release();
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        var maxPayload = _options.Limits.MaxFrameBytes;
        while (true)
        {
            var result = await _input.ReadAsync();
            var buffer = result.Buffer;
            var status = FrameStatus.Incomplete;
            var error = ErrorCode.None;
            try
            {
                while ((status = FrameReader.TryRead(buffer, maxPayload, out var frame, out var end, out error)) == FrameStatus.Complete)
                {
                    if (frame.Tag == FrameLayout.PushTag)
                    {
                        // framing.md, "Tag": tag 0 is reserved for the server's own frames.
                        status = FrameStatus.Invalid;
                        error = ErrorCode.ProtocolReservedTag;
                        break;
                    }

                    Dispatch(frame);
                    buffer = buffer.Slice(end);
                }
            }
            finally
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (status == FrameStatus.Invalid)
            {
                _logger.LogInformation("Closing filter connection {Name}: {Code}", Name ?? "(unregistered)", error.ToWire());
                await WriteAsync(FrameLayout.PushTag, Reply.Fail(error).Head.ToArray(), ReadOnlyMemory<byte>.Empty);
                return;
            }

            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    private void Dispatch(in Frame frame)
    {
        var tag = frame.Tag;
        JsonDocument document;
        try
        {
            // Copied: the document outlives this frame's receive buffer (verdicts are read after it is reused).
            document = JsonDocument.Parse(frame.Head.ToArray().AsMemory(), _jsonOptions);
        }
        catch (JsonException)
        {
            if (_pending.TryRemove(tag, out var broken))
            {
                // filter.md, "Failures": a malformed verdict is a filter failure.
                broken.TrySetResult(new FilterResponse(JsonDocument.Parse("{\"ok\":false,\"code\":\"request.malformed-json\"}"), []));
            }
            else
            {
                _ = ReplyAsync(tag, Reply.Fail(ErrorCode.RequestMalformedJson));
            }

            return;
        }

        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("cmd"u8, out var cmd) && cmd.ValueKind == JsonValueKind.String)
        {
            _ = HandleRequestAsync(tag, document);
            return;
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("ok"u8, out _) && _pending.TryRemove(tag, out var pending))
        {
            pending.TrySetResult(new FilterResponse(document, frame.Body.ToArray()));
            return;
        }

        // A reply to a request that timed out already, or to nothing: dropped (filter.md, "Timeouts").
        document.Dispose();
    }

    private async Task ReplyAsync(ulong tag, Reply reply) => await WriteAsync(tag, reply.Head, reply.Body);

    private async Task<bool> WriteAsync(ulong tag, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body)
    {
        // One flush per batch (STYLE.md, habit 7): a writer that sees another one waiting for the
        // lock leaves the flush to it, and the last writer of a burst flushes them all.
        Interlocked.Increment(ref _pendingWrites);
        await _writeLock.WaitAsync();
        try
        {
            bool last;
            try
            {
                if (_closed && tag != FrameLayout.PushTag)
                {
                    return false;
                }

                FrameWriter.Write(_output, tag, head.Span, body.Span);
            }
            finally
            {
                last = Interlocked.Decrement(ref _pendingWrites) == 0;
            }

            if (!last)
            {
                return true;
            }

            var flush = await _output.FlushAsync();
            return !flush.IsCompleted && !flush.IsCanceled;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or ConnectionResetException)
        {
            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
