using Butterfly.Protocol.Framing;

namespace Butterfly.Server.Sessions;

internal sealed partial class Session
{
    private async Task WriteLoopAsync()
    {
        var reader = _outbound.Reader;
        var open = true;
        while (await reader.WaitToReadAsync())
        {
            var written = 0;
            while (reader.TryRead(out var frame))
            {
                if (open)
                {
                    FrameWriter.Write(_output, frame.Tag, frame.Reply.Head.Span, frame.Reply.Body.Span);
                }

                if (frame.CountsInFlight)
                {
                    written++;
                }
            }

            if (open)
            {
                try
                {
                    // One flush per batch of replies (STYLE.md, habit 7).
                    var flush = await _output.FlushAsync();
                    open = !flush.IsCompleted && !flush.IsCanceled;
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
                {
                    open = false;
                }
            }

            ReleaseInFlight(written);
        }

        await _output.CompleteAsync();
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

    private Task WaitForInFlightDropAsync()
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

            // Re-check after publishing the signal so a release in between is not missed.
            if (Volatile.Read(ref _inFlight) < _maxInFlight)
            {
                return Task.CompletedTask;
            }

            return current.Task;
        }
    }

    private async Task DrainInFlightAsync()
    {
        // Every request dispatched gets its reply before the connection closes.
        while (Volatile.Read(ref _inFlight) > 0)
        {
            var wait = WaitForAnyDropAsync();
            if (Volatile.Read(ref _inFlight) == 0)
            {
                break;
            }

            await Task.WhenAny(wait, Task.Delay(200));
        }
    }

    private Task WaitForAnyDropAsync()
    {
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var existing = Interlocked.CompareExchange(ref _inFlightDrop, created, null);
        return (existing ?? created).Task;
    }
}
