using Butterfly.Protocol.Framing;

namespace Butterfly.Protocol.Connections;

/// <summary>Queuing frames, the write loop, and the in-flight count of requests received.</summary>
public sealed partial class FrameConnection
{
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
        if (_outgoing.Writer.TryWrite(new OutgoingFrame(tag, head, body, false, lease)))
        {
            return true;
        }

        lease?.Dispose();
        return false;
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
        if (!_outgoing.Writer.TryWrite(new OutgoingFrame(tag, head, body, true, lease)))
        {
            lease?.Dispose();
            ReleaseInFlight(1);
        }
    }

    private async Task WriteLoopAsync()
    {
        var queue = _outgoing.Reader;
        var open = true;
        while (await queue.WaitToReadAsync().ConfigureAwait(false))
        {
            var answered = 0;
            while (queue.TryRead(out var frame))
            {
                if (open)
                {
                    try
                    {
                        FrameWriter.Write(_output, frame.Tag, frame.Head.Span, frame.Body.Span);
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or OverflowException)
                    {
                        open = WriteFailed(ex);
                    }
                }

                frame.Lease?.Dispose();
                if (frame.Answers)
                {
                    answered++;
                }

                if (open && _output.UnflushedBytes > MaxUnflushedBytes)
                {
                    open = await FlushAsync().ConfigureAwait(false);
                }
            }

            // One flush per batch (STYLE.md, habit 7).
            if (open)
            {
                open = await FlushAsync().ConfigureAwait(false);
            }

            ReleaseInFlight(answered);
        }

        await CompleteQuietlyAsync(_output.CompleteAsync()).ConfigureAwait(false);
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
