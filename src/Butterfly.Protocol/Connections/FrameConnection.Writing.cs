using System.Buffers;
using System.IO.Pipelines;
using Butterfly.Protocol.Framing;

namespace Butterfly.Protocol.Connections;

/// <summary>
/// Queuing and writing frames, and the in-flight count of requests received. There is no write
/// loop: whoever queues a frame while nobody is writing becomes the writer for everything queued
/// until the queue is empty, and flushes once at the end (a combining writer). While the read
/// loop hands on the frames of one receive the connection is corked, so the answers they get at
/// once leave together when it uncorks.
/// </summary>
public sealed partial class FrameConnection
{
    private readonly TaskCompletionSource _outputCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _outputDone;

    // Bytes of frames queued, or written and not yet flushed, plus room reserved for answers to come.
    private long _backlog;

    /// <summary>
    /// Bytes of frames queued or written but not yet taken by the other side, plus room reserved with
    /// <see cref="ReserveReplyAsync"/> (see <see cref="FrameConnectionOptions.MaxReplyBacklogBytes"/>).
    /// </summary>
    public long ReplyBacklogBytes => Interlocked.Read(ref _backlog);

    /// <summary>
    /// Queues a frame that answers nothing: a request of ours, or a frame with tag 0. The memory
    /// must stay unchanged until the frame is written (or <paramref name="lease"/> is released).
    /// </summary>
    /// <param name="tag">The tag.</param>
    /// <param name="head">The UTF-8 JSON head.</param>
    /// <param name="body">The binary section.</param>
    /// <param name="lease">Released once the frame is written or dropped.</param>
    /// <returns>False when the connection no longer writes (the frame is dropped).</returns>
    public bool Send(ulong tag, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body = default, IDisposable? lease = null)
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            lease?.Dispose();
            return false;
        }

        Enqueue(new OutgoingFrame(tag, head, body, OutgoingKind.Plain, lease));
        return true;
    }

    /// <summary>
    /// Queues the answer to a request of the other side's: it stops counting as in flight once
    /// written. A connection that no longer writes drops it and stops counting it at once.
    /// </summary>
    /// <param name="tag">The request's tag.</param>
    /// <param name="head">The UTF-8 JSON head.</param>
    /// <param name="body">The binary section.</param>
    /// <param name="lease">Released once the frame is written or dropped.</param>
    /// <param name="reserved">Room reserved for this answer with <see cref="ReserveReplyAsync"/>, given back now that its real size counts.</param>
    public void Reply(ulong tag, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body = default, IDisposable? lease = null, long reserved = 0)
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            lease?.Dispose();
            ReleaseBacklog(reserved);
            ReleaseInFlight(1);
            return;
        }

        Enqueue(new OutgoingFrame(tag, head, body, OutgoingKind.Answer, lease));
        ReleaseBacklog(reserved);
    }

    /// <summary>
    /// Reserves room in the reply backlog for an answer of up to <paramref name="bytes"/> before the
    /// work that produces it starts, so that requests whose answers are large (a message fetch) are
    /// not all started at once for a side that does not read. Waits while the backlog has no room;
    /// a reservation larger than the limit waits until the backlog is empty. Give the room back
    /// through <see cref="Reply"/>'s <c>reserved</c>.
    /// </summary>
    /// <param name="bytes">The largest answer expected.</param>
    /// <returns>False when the connection was aborted while waiting (nothing is reserved).</returns>
    public Task<bool> ReserveReplyAsync(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return TryReserveBacklog(bytes) ? Task.FromResult(true) : WaitForRoomAsync(() => TryReserveBacklog(bytes));
    }

    private bool TryReserveBacklog(long bytes)
    {
        while (true)
        {
            var current = Interlocked.Read(ref _backlog);
            if (current > 0 && current + bytes > _options.MaxReplyBacklogBytes)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _backlog, current + bytes, current) == current)
            {
                return true;
            }
        }
    }

    private bool HasRoomForRequest() =>
        Volatile.Read(ref _inFlight) < _options.MaxIncomingInFlight && Interlocked.Read(ref _backlog) < _options.MaxReplyBacklogBytes;

    private void ReleaseBacklog(long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        Interlocked.Add(ref _backlog, -bytes);
        Interlocked.Exchange(ref _roomSignal, null)?.TrySetResult();
    }

    private void Enqueue(in OutgoingFrame frame)
    {
        Interlocked.Add(ref _backlog, frame.Size);
        _outgoing.Enqueue(frame);
        if (Volatile.Read(ref _outputDone) != 0)
        {
            // Queued after the output was completed: nobody will write it.
            DiscardQueued();
            return;
        }

        ScheduleWrite();
    }

    /// <summary>Becomes the writer when nobody is, unless the read loop will write when it uncorks.</summary>
    private void ScheduleWrite()
    {
        if (Volatile.Read(ref _corked) != 0 || _outgoing.IsEmpty || Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
        {
            return;
        }

        _ = WriteAsync();
    }

    private void Cork() => Volatile.Write(ref _corked, 1);

    private void Uncork()
    {
        // A full fence: a frame queued by a thread that saw the cork is seen by the check below.
        Interlocked.Exchange(ref _corked, 0);
        ScheduleWrite();
    }

    /// <summary>Writes everything queued, flushing once; runs inline until a flush has to wait.</summary>
    private async Task WriteAsync()
    {
        try
        {
            while (true)
            {
                var answered = 0;
                var wrote = false;

                // Bytes written into the pipe: they leave the backlog once a flush has pushed them out.
                long unflushed = 0;
                while (_outgoing.TryDequeue(out var frame))
                {
                    if (frame.Kind == OutgoingKind.End)
                    {
                        await EndOutputAsync(wrote, answered, unflushed).ConfigureAwait(false);
                        return;
                    }

                    unflushed += frame.Size;
                    if (_outputOpen && frame.Body.Length > MaxUnflushedBytes)
                    {
                        // A large body goes out in slices, flushed as they go: the pipe never
                        // holds a copy of the whole answer.
                        _outputOpen = await WriteLargeAsync(frame, unflushed).ConfigureAwait(false);
                        unflushed = 0;
                        wrote = false;
                    }
                    else if (_outputOpen)
                    {
                        try
                        {
                            FrameWriter.Write(_output, frame.Tag, frame.Head.Span, frame.Body.Span);
                            wrote = true;
                        }
                        catch (Exception ex) when (ex is InvalidOperationException or OverflowException)
                        {
                            _outputOpen = WriteFailed(ex);
                        }
                    }

                    frame.Lease?.Dispose();
                    if (frame.Kind == OutgoingKind.Answer)
                    {
                        answered++;
                    }

                    if (_outputOpen && wrote && _output.UnflushedBytes > MaxUnflushedBytes)
                    {
                        // One huge batch is not buffered whole.
                        _outputOpen = await FlushAsync().ConfigureAwait(false);
                        wrote = false;
                        ReleaseBacklog(unflushed);
                        unflushed = 0;
                    }
                }

                // One flush per batch (STYLE.md, habit 7).
                if (_outputOpen && wrote)
                {
                    _outputOpen = await FlushAsync().ConfigureAwait(false);
                }

                ReleaseBacklog(unflushed);
                ReleaseInFlight(answered);

                // A frame queued after the last dequeue found the role taken: take it back for it.
                Interlocked.Exchange(ref _writing, 0);
                if (_outgoing.IsEmpty || Volatile.Read(ref _corked) != 0 || Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nothing above should throw; if it does, the connection cannot write any more.
            _outputOpen = WriteFailed(ex);
            Interlocked.Exchange(ref _writing, 0);
            ScheduleWrite();
        }
    }

    /// <summary>
    /// Writes a frame whose body is larger than <see cref="MaxUnflushedBytes"/> in slices, flushing
    /// each time the pipe holds more than that; <paramref name="counted"/> backlog bytes (this frame's
    /// and those written before it) leave the backlog once flushed. False when the output failed.
    /// </summary>
    private async ValueTask<bool> WriteLargeAsync(OutgoingFrame frame, long counted)
    {
        try
        {
            var header = _output.GetSpan(FrameLayout.HeaderSize);
            FrameWriter.WriteHeader(header, frame.Tag, frame.Head.Length, frame.Body.Length);
            _output.Advance(FrameLayout.HeaderSize);
            _output.Write(frame.Head.Span);
            var body = frame.Body;
            while (!body.IsEmpty)
            {
                var slice = Math.Min(body.Length, MaxUnflushedBytes);
                _output.Write(body.Span[..slice]);
                body = body[slice..];
                if (!await FlushAsync().ConfigureAwait(false))
                {
                    return false;
                }

                // What has left counts no longer.
                var left = Math.Min(counted, slice);
                ReleaseBacklog(left);
                counted -= left;
            }

            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or OverflowException)
        {
            return WriteFailed(ex);
        }
        finally
        {
            ReleaseBacklog(counted);
        }
    }

    /// <summary>Queues the last frame (when given) and the end of the output, and waits until the output is completed.</summary>
    private Task CompleteOutputAsync(ReadOnlyMemory<byte> finalHead)
    {
        Volatile.Write(ref _closed, 1);
        if (!finalHead.IsEmpty && !_abortedSignal.Task.IsCompleted)
        {
            var last = new OutgoingFrame(FrameLayout.PushTag, finalHead, ReadOnlyMemory<byte>.Empty, OutgoingKind.Plain, null);
            Interlocked.Add(ref _backlog, last.Size);
            _outgoing.Enqueue(last);
        }

        _outgoing.Enqueue(new OutgoingFrame(0, default, default, OutgoingKind.End, null));
        ScheduleWrite();
        return _outputCompleted.Task;
    }

    /// <summary>The writer met the end marker: flush, complete the output, and drop anything queued too late.</summary>
    private async Task EndOutputAsync(bool wrote, int answered, long unflushed)
    {
        if (_outputOpen && wrote)
        {
            _outputOpen = await FlushAsync().ConfigureAwait(false);
        }

        ReleaseBacklog(unflushed);
        ReleaseInFlight(answered);
        _outputOpen = false;
        Volatile.Write(ref _outputDone, 1);
        DiscardQueued();
        await CompleteQuietlyAsync(_output.CompleteAsync()).ConfigureAwait(false);

        // The writer role is never given back: nothing is written after the end.
        _outputCompleted.TrySetResult();
    }

    private void DiscardQueued()
    {
        var answered = 0;
        long dropped = 0;
        while (_outgoing.TryDequeue(out var frame))
        {
            frame.Lease?.Dispose();
            dropped += frame.Size;
            if (frame.Kind == OutgoingKind.Answer)
            {
                answered++;
            }
        }

        ReleaseBacklog(dropped);
        ReleaseInFlight(answered);
    }

    private async ValueTask<bool> FlushAsync()
    {
        try
        {
            var flush = _output.FlushAsync();
            FlushResult result;
            if (flush.IsCompleted || _options.WriteTimeout == Timeout.InfiniteTimeSpan)
            {
                result = await flush.ConfigureAwait(false);
            }
            else
            {
                try
                {
                    result = await flush.AsTask().WaitAsync(_options.WriteTimeout, _options.TimeProvider).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // The other side took nothing for the whole timeout while it kept its answers
                    // waiting: whatever it sends, it is not served any longer.
                    Abort(new ConnectionError(
                        $"{Description} took none of its answers for {_options.WriteTimeout.TotalSeconds:0.#} s; the connection is closed.",
                        WriteTimedOut: true));
                    return false;
                }
            }

            return !result.IsCompleted && !result.IsCanceled || WriteFailed(null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return WriteFailed(ex);
        }
    }

    /// <summary>The other side stopped taking bytes: nothing more can be said, so reading stops too.</summary>
    private bool WriteFailed(Exception? ex)
    {
        SetError(new ConnectionError($"The connection to {Description} was lost while sending{(ex is null ? "" : ": " + ex.Message)}.", Errors.ErrorCode.None, ex));
        Volatile.Write(ref _stopping, 1);
        SignalStopping();
        return false;
    }

    private void ReleaseInFlight(int count)
    {
        if (count == 0)
        {
            return;
        }

        Interlocked.Add(ref _inFlight, -count);
        Interlocked.Exchange(ref _roomSignal, null)?.TrySetResult();
    }

    /// <summary>Waits until <paramref name="ready"/> holds (checked after each answer or backlog change); false when aborted first.</summary>
    private async Task<bool> WaitForRoomAsync(Func<bool> ready)
    {
        while (!_abortedSignal.Task.IsCompleted)
        {
            var signal = ArmRoomSignal();

            // Checked after the signal is published, so a release in between is not missed.
            if (ready())
            {
                return true;
            }

            await Task.WhenAny(signal, _abortedSignal.Task).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>A task that completes at the next answer written or backlog change.</summary>
    private Task ArmRoomSignal()
    {
        while (true)
        {
            var current = Volatile.Read(ref _roomSignal);
            if (current is not null)
            {
                return current.Task;
            }

            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Interlocked.CompareExchange(ref _roomSignal, created, null) is null)
            {
                return created.Task;
            }
        }
    }

    private async Task DrainAsync()
    {
        await WaitForRoomAsync(() => Volatile.Read(ref _inFlight) == 0).ConfigureAwait(false);
    }

    private static async Task CompleteQuietlyAsync(ValueTask completion)
    {
        try
        {
            await completion.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            // Completing a pipe whose stream is already gone.
        }
    }
}
