namespace Butterfly.Server.Delivery;

/// <summary>
/// Wakes a background worker early: set when new work is queued, awaited with a timeout so the
/// worker also polls. Setting it many times before the worker looks counts once.
/// </summary>
internal sealed class WorkSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Wakes the waiting worker, or the next one to wait.</summary>
    public void Set()
    {
        // Looked at first: relaying thousands of messages a second sets it as often, and a thrown and
        // caught SemaphoreFullException each time it was already set cost more than the rest of Set.
        if (_signal.CurrentCount != 0)
        {
            return;
        }

        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already set: the worker will look once, and see everything queued so far.
        }
    }

    /// <summary>Waits until set or until <paramref name="timeout"/> passes.</summary>
    /// <returns>Whether the signal was set.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
