using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;

namespace Butterfly.Protocol.Connections;

/// <summary>
/// The tagged-connection core every side of Butterfly uses (clients, server sessions, peers,
/// the filter socket): a read loop that decodes frames (protocol/framing.md) and hands them to
/// an <see cref="IFrameReceiver"/>, and a writer that sends frames as they are queued, in any
/// order, flushing once per batch. Requests of the other side's are counted in flight until
/// their answers are written; past <see cref="FrameConnectionOptions.MaxIncomingInFlight"/>
/// reading stops (back-pressure), and a closing connection writes every answer it owes before
/// its last frame.
/// </summary>
public sealed partial class FrameConnection
{
    // Flush before the unflushed bytes grow past this, so one large batch is not buffered whole.
    private const int MaxUnflushedBytes = 1 << 20;

    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly IFrameReceiver _receiver;
    private readonly FrameConnectionOptions _options;
    private readonly Action? _abortTransport;
    private readonly OutgoingQueue _outgoing = new();

    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _abortedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stoppingToken = new();
    private int _maxFrameBytes;
    private int _inFlight;
    private int _largePayload;
    private TaskCompletionSource? _roomSignal;
    private long _lastActivity = Environment.TickCount64;
    private ConnectionError? _error;
    private ReadOnlyMemory<byte> _finalHead;
    private int _stopping;
    private int _started;
    private int _corked;
    private int _writing;
    private int _closed;
    private bool _outputOpen = true;

    /// <summary>Creates a connection over <paramref name="transport"/>; <see cref="RunAsync"/> or <see cref="Start"/> runs it.</summary>
    /// <param name="transport">The byte streams (a Kestrel connection, or a socket through <see cref="StreamDuplexPipe"/>).</param>
    /// <param name="receiver">Where received frames go.</param>
    /// <param name="options">Limits and routing.</param>
    /// <param name="abortTransport">Closes the transport at once, waking a read blocked inside it (for example by closing the socket).</param>
    public FrameConnection(IDuplexPipe transport, IFrameReceiver receiver, FrameConnectionOptions options, Action? abortTransport = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIncomingInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LargeFrameBytes, FrameLayout.MinPayloadSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxReplyBacklogBytes, 1);
        _input = transport.Input;
        _output = transport.Output;
        _receiver = receiver;
        _options = options;
        _abortTransport = abortTransport;
        _maxFrameBytes = options.MaxFrameBytes;
        Completion = _stopped.Task;
    }

    /// <summary>Where the connection goes or comes from, for messages.</summary>
    public string Description => _options.Description;

    /// <summary>The largest payload accepted from now on; checked before a frame is buffered.</summary>
    public int MaxFrameBytes
    {
        get => Volatile.Read(ref _maxFrameBytes);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, FrameLayout.MinPayloadSize);
            Volatile.Write(ref _maxFrameBytes, value);
        }
    }

    /// <summary>Requests of the other side's received and not yet answered on the wire.</summary>
    public int IncomingInFlight => Volatile.Read(ref _inFlight);

    /// <summary>When bytes last arrived (<see cref="Environment.TickCount64"/>).</summary>
    public long LastActivity => Volatile.Read(ref _lastActivity);

    /// <summary>True until the connection stops or fails.</summary>
    public bool IsOpen => Volatile.Read(ref _stopping) == 0;

    /// <summary>Why the connection failed, or null while it is open or when it ended in order.</summary>
    public ConnectionError? Error => Volatile.Read(ref _error);

    /// <summary>Completes when both loops have ended and the transport has been completed.</summary>
    public Task Completion { get; }

    /// <summary>Runs both loops in the background (see <see cref="Completion"/>).</summary>
    public void Start() => _ = Task.Run(RunAsync);

    /// <summary>Runs the connection until the other side goes away or it is stopped.</summary>
    public async Task RunAsync()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The connection is already running.");
        }

        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _stopping, 1);
            _receiver.OnReadingStopped(Volatile.Read(ref _error));

            // Every request received gets its answer before the last frame and the close, unless
            // the connection is aborted: then nothing more is written and nobody is waited for.
            await DrainAsync().ConfigureAwait(false);
            await CompleteOutputAsync(_finalHead).ConfigureAwait(false);
            await CompleteQuietlyAsync(_input.CompleteAsync()).ConfigureAwait(false);
            _stopped.TrySetResult();
        }
    }

    /// <summary>
    /// Ends the connection in order: reading stops, requests in flight are answered, then
    /// <paramref name="finalHead"/> (when not empty) goes out with tag 0 and the connection closes.
    /// </summary>
    /// <param name="finalHead">The head of the last frame, for example an error frame (timeouts, shutdown).</param>
    public void Stop(ReadOnlyMemory<byte> finalHead = default)
    {
        if (Interlocked.CompareExchange(ref _stopping, 1, 0) == 0)
        {
            _finalHead = finalHead;
            SignalStopping();
        }
    }

    /// <summary>Ends the connection at once: the transport is closed and nothing more is written.</summary>
    /// <param name="error">Why; null when the owner is simply done with it.</param>
    public void Abort(ConnectionError? error = null)
    {
        if (error is not null)
        {
            Interlocked.CompareExchange(ref _error, error, null);
        }

        Volatile.Write(ref _stopping, 1);
        Volatile.Write(ref _closed, 1);
        _abortedSignal.TrySetResult();
        SignalStopping();
        try
        {
            _abortTransport?.Invoke();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Already closed.
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled && !IsOpen)
                {
                    return;
                }

                var buffer = result.Buffer;
                Volatile.Write(ref _lastActivity, Environment.TickCount64);
                var end = await ReadFramesAsync(buffer).ConfigureAwait(false);
                if (end is null)
                {
                    return;
                }

                if (_largePayload > 0)
                {
                    var payload = _largePayload;
                    _largePayload = 0;
                    if (!await ReadLargeFrameAsync(payload).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                if (result.IsCompleted)
                {
                    if (!buffer.Slice(end.Value).IsEmpty)
                    {
                        SetError(new ConnectionError($"{Description} closed the connection in the middle of a frame.", Truncated: true));
                    }

                    return;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Transport failures (resets, TLS errors, a completed pipe) and a receiver's bug alike
            // end the connection; the receiver hears which through OnReadingStopped.
            SetError(new ConnectionError($"The connection to {Description} was lost: {ex.Message}", ErrorCode.None, ex));
        }
    }

    /// <summary>
    /// Hands every whole frame in <paramref name="buffer"/> on and advances the pipe past them.
    /// Returns where the unread bytes start, or null when the connection must stop reading.
    /// </summary>
    private async ValueTask<SequencePosition?> ReadFramesAsync(ReadOnlySequence<byte> buffer)
    {
        var consumed = buffer.Start;
        var examined = buffer.End;

        // Corked while the frames of one receive are handed on: what they answer at once (a ping,
        // a reply re-arming a request) leaves in one batch and one flush, not one per frame.
        Cork();
        try
        {
            while (true)
            {
                var status = FrameReader.TryRead(buffer, MaxFrameBytes, out var frame, out var end, out var code);
                if (status != FrameStatus.Invalid && PeekPayloadLength(buffer) is { } payload && payload > _options.LargeFrameBytes)
                {
                    // Gathered outside the transport's buffer and counted against the budget
                    // (ReadLargeFrameAsync), even when it is all here already; the next read must
                    // return at once with what is here, so nothing counts as examined.
                    _largePayload = payload;
                    examined = consumed;
                    return consumed;
                }

                if (status == FrameStatus.Incomplete)
                {
                    return consumed;
                }

                if (!Accept(ref status, ref code, frame))
                {
                    return null;
                }

                var pause = Dispatch(frame);
                buffer = buffer.Slice(end);
                consumed = buffer.Start;
                if (!pause.IsCompletedSuccessfully)
                {
                    Uncork();
                    await pause.ConfigureAwait(false);
                    Cork();
                }

                if (!IsOpen)
                {
                    return null;
                }
            }
        }
        finally
        {
            Uncork();

            // Nothing is consumed until a whole frame has been handed on; the rest is examined.
            _input.AdvanceTo(consumed, examined);
        }
    }

    /// <summary>Checks a decoded frame; false (after the protocol error) when it is not acceptable.</summary>
    private bool Accept(ref FrameStatus status, ref ErrorCode code, in Frame frame)
    {
        if (status == FrameStatus.Complete && frame.Tag == FrameLayout.PushTag && !_options.TagZeroAccepted)
        {
            // framing.md, "Tag": tag 0 is reserved for the server's own frames.
            status = FrameStatus.Invalid;
            code = ErrorCode.ProtocolReservedTag;
        }

        if (status == FrameStatus.Invalid)
        {
            ProtocolError(code);
            return false;
        }

        return true;
    }

    private static int? PeekPayloadLength(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < FrameLayout.LengthSize)
        {
            return null;
        }

        Span<byte> prefix = stackalloc byte[FrameLayout.LengthSize];
        buffer.Slice(0, FrameLayout.LengthSize).CopyTo(prefix);

        // FrameReader has checked it against MaxFrameBytes already.
        return (int)BinaryPrimitives.ReadUInt32LittleEndian(prefix);
    }

    /// <summary>
    /// Receives one frame larger than <see cref="FrameConnectionOptions.LargeFrameBytes"/>: its bytes
    /// are reserved from the shared budget first (reading waits while it is spent), then gathered in
    /// pooled chunks as they arrive, consumed from the transport as they are copied. The chunks and
    /// the reservation go back as soon as the frame has been handed on. Returns false when the
    /// connection must stop reading.
    /// </summary>
    private async ValueTask<bool> ReadLargeFrameAsync(int payloadLength)
    {
        var total = FrameLayout.LengthSize + (long)payloadLength;
        var budget = _options.FrameBudget;
        long reserved = 0;
        if (budget is not null)
        {
            try
            {
                reserved = await budget.ReserveAsync(total, _stoppingToken.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        ValueTask pause;
        try
        {
            using var gathered = new PooledFrameBuffer();
            while (gathered.Length < total)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled && !IsOpen)
                {
                    return false;
                }

                var buffer = result.Buffer;
                var take = Math.Min(buffer.Length, total - gathered.Length);
                if (take > 0)
                {
                    Volatile.Write(ref _lastActivity, Environment.TickCount64);
                    gathered.Append(buffer.Slice(0, take));
                }

                _input.AdvanceTo(buffer.GetPosition(take));
                if (gathered.Length < total && result.IsCompleted)
                {
                    SetError(new ConnectionError($"{Description} closed the connection in the middle of a frame.", Truncated: true));
                    return false;
                }
            }

            var status = FrameReader.TryRead(gathered.ToSequence(), payloadLength, out var frame, out _, out var code);
            if (!Accept(ref status, ref code, frame))
            {
                return false;
            }

            if (status != FrameStatus.Complete)
            {
                ProtocolError(ErrorCode.ProtocolMalformedFrame);
                return false;
            }

            Cork();
            try
            {
                pause = Dispatch(frame);
            }
            finally
            {
                Uncork();
            }
        }
        finally
        {
            budget?.Release(reserved);
        }

        // The frame was only read during the call (IFrameReceiver): its chunks are back in the pool.
        await pause.ConfigureAwait(false);
        return IsOpen;
    }

    private void SignalStopping()
    {
        _input.CancelPendingRead();
        try
        {
            _stoppingToken.Cancel();
        }
        catch (AggregateException)
        {
            // A callback failed; the waits it woke have their own handling.
        }
    }

    private ValueTask Dispatch(in Frame frame)
    {
        if (frame.Tag == FrameLayout.PushTag)
        {
            _receiver.OnTagZero(frame);
            return ValueTask.CompletedTask;
        }

        var isRequest = _options.Routing switch
        {
            FrameRouting.Requests => true,
            FrameRouting.Replies => false,
            _ => FrameHeads.Classify(frame.Head) == HeadKind.Request,
        };
        if (!isRequest)
        {
            _receiver.OnReply(frame);
            return ValueTask.CompletedTask;
        }

        // Back-pressure: past either limit (requests in flight, bytes of answers not yet taken by
        // the other side), stop reading until answers have gone out.
        if (!HasRoomForRequest())
        {
            return DispatchAfterAsync(CopyFrame(frame));
        }

        Interlocked.Increment(ref _inFlight);
        return _receiver.OnRequestAsync(frame);
    }

    // The frame waits in a copy: the receive buffer stays valid, but this keeps the receiver's
    // contract (the frame is only read during the call) independent of how long the wait is.
    private async ValueTask DispatchAfterAsync((ulong Tag, byte[] Head, byte[] Body) copy)
    {
        if (!await WaitForRoomAsync(HasRoomForRequest).ConfigureAwait(false))
        {
            // Aborted while waiting: nothing will be written, so the request is dropped.
            return;
        }

        Interlocked.Increment(ref _inFlight);
        var frame = new Frame(copy.Tag, new ReadOnlySequence<byte>(copy.Head), new ReadOnlySequence<byte>(copy.Body));
        await _receiver.OnRequestAsync(frame).ConfigureAwait(false);
    }

    private static (ulong, byte[], byte[]) CopyFrame(in Frame frame) => (frame.Tag, frame.Head.ToArray(), frame.Body.ToArray());

    private void ProtocolError(ErrorCode code)
    {
        SetError(new ConnectionError($"{Description} broke the framing ({code.ToWire()}).", code));
        var head = _receiver.OnProtocolError(code);
        if (Interlocked.CompareExchange(ref _stopping, 1, 0) == 0 || _finalHead.IsEmpty)
        {
            _finalHead = head;
        }
    }

    private void SetError(ConnectionError error) => Interlocked.CompareExchange(ref _error, error, null);
}
