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
    public void Reply(ulong tag, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body = default, IDisposable? lease = null)
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            lease?.Dispose();
            ReleaseInFlight(1);
            return;
        }

        Enqueue(new OutgoingFrame(tag, head, body, OutgoingKind.Answer, lease));
    }

    private void Enqueue(in OutgoingFrame frame)
    {
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
                while (_outgoing.TryDequeue(out var frame))
                {
                    if (frame.Kind == OutgoingKind.End)
                    {
                        await EndOutputAsync(wrote, answered).ConfigureAwait(false);
                        return;
                    }

                    if (_outputOpen)
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
                    }
                }

                // One flush per batch (STYLE.md, habit 7).
                if (_outputOpen && wrote)
                {
                    _outputOpen = await FlushAsync().ConfigureAwait(false);
                }

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

    /// <summary>Queues the last frame (when given) and the end of the output, and waits until the output is completed.</summary>
    private Task CompleteOutputAsync(ReadOnlyMemory<byte> finalHead)
    {
        Volatile.Write(ref _closed, 1);
        if (!finalHead.IsEmpty && !_abortedSignal.Task.IsCompleted)
        {
            _outgoing.Enqueue(new OutgoingFrame(FrameLayout.PushTag, finalHead, ReadOnlyMemory<byte>.Empty, OutgoingKind.Plain, null));
        }

        _outgoing.Enqueue(new OutgoingFrame(0, default, default, OutgoingKind.End, null));
        ScheduleWrite();
        return _outputCompleted.Task;
    }

    /// <summary>The writer met the end marker: flush, complete the output, and drop anything queued too late.</summary>
    private async Task EndOutputAsync(bool wrote, int answered)
    {
        if (_outputOpen && wrote)
        {
            _outputOpen = await FlushAsync().ConfigureAwait(false);
        }

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
        while (_outgoing.TryDequeue(out var frame))
        {
            frame.Lease?.Dispose();
            if (frame.Kind == OutgoingKind.Answer)
            {
                answered++;
            }
        }

        ReleaseInFlight(answered);
    }

    private async ValueTask<bool> FlushAsync()
    {
        try
        {
            var result = await _output.FlushAsync().ConfigureAwait(false);
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
        _input.CancelPendingRead();
        return false;
    }

    private void ReleaseInFlight(int count)
    {
        if (count == 0)
        {
            return;
        }

        Interlocked.Add(ref _inFlight, -count);
        Interlocked.Exchange(ref _inFlightDrop, null)?.TrySetResult();
    }

    /// <summary>A task that completes when fewer than the limit are in flight.</summary>
    private Task WaitForInFlightBelowAsync() => WaitForInFlightAsync(_options.MaxIncomingInFlight);

    /// <summary>Waits until fewer than <paramref name="limit"/> requests are in flight.</summary>
    private Task WaitForInFlightAsync(int limit)
    {
        while (true)
        {
            var current = Volatile.Read(ref _inFlightDrop);
            if (current is null)
            {
                var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (Interlocked.CompareExchange(ref _inFlightDrop, created, null) is not null)
                {
                    continue;
                }

                current = created;
            }

            // Checked after the signal is published, so a release in between is not missed.
            return Volatile.Read(ref _inFlight) < limit ? Task.CompletedTask : current.Task;
        }
    }

    private async Task DrainAsync()
    {
        while (Volatile.Read(ref _inFlight) > 0 && !_abortedSignal.Task.IsCompleted)
        {
            await Task.WhenAny(WaitForInFlightAsync(1), _abortedSignal.Task).ConfigureAwait(false);
        }
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
