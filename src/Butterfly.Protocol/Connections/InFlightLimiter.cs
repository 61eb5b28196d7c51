namespace Butterfly.Protocol.Connections;

/// <summary>
/// Caps the requests in flight on a connection. Taking and giving back a slot is one interlocked
/// operation when the cap is not reached (a "benaphore": a counter, with a semaphore used only to
/// hand slots to waiters); SemaphoreSlim alone takes a lock on both sides of every request.
/// </summary>
public sealed class InFlightLimiter
{
    private readonly SemaphoreSlim _handoff = new(0);

    // Free slots; below zero, minus the number of callers registered as waiting.
    private int _count;

    public InFlightLimiter(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _count = limit;
    }

    /// <summary>Free slots now; negative while callers wait.</summary>
    public int Available => Volatile.Read(ref _count);

    /// <summary>
    /// Takes a slot when one is free and returns true. Otherwise returns false with the caller
    /// registered as a waiter: it must then call <see cref="WaitAsync"/>.
    /// </summary>
    public bool TryEnter() => Interlocked.Decrement(ref _count) >= 0;

    /// <summary>Waits, after a failed <see cref="TryEnter"/>, until a slot is handed over; false on timeout.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            if (await _handoff.WaitAsync(timeout, ct))
            {
                return true;
            }
        }
        catch (OperationCanceledException)
        {
            Abandon();
            throw;
        }

        Abandon();
        return false;
    }

    /// <summary>Gives a slot back, handing it to a waiter when there is one.</summary>
    public void Release()
    {
        if (Interlocked.Increment(ref _count) <= 0)
        {
            _handoff.Release();
        }
    }

    /// <summary>
    /// A waiter that gives up stays counted as waiting, so the slot handed to it later is passed
    /// straight on; un-counting it instead could admit one request too many when a hand-over races
    /// the timeout.
    /// </summary>
    private void Abandon() => _ = PassOnAsync();

    private async Task PassOnAsync()
    {
        await _handoff.WaitAsync();
        Release();
    }
}
