namespace Butterfly.Protocol.Connections;

/// <summary>
/// A byte budget shared by many connections: the bytes of large frames being received, server-wide.
/// A connection reserves a frame's bytes before it buffers them and gives them back once the frame
/// has been handed on; when the budget is spent, the next reservation waits (and its connection
/// stops reading) until bytes come back. Waiters are served in arrival order, so a large frame is
/// not starved by a stream of smaller ones.
/// </summary>
public sealed class ByteBudget
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _available;

    /// <summary>Creates a budget of <paramref name="capacity"/> bytes.</summary>
    /// <param name="capacity">The bytes that may be reserved at once.</param>
    public ByteBudget(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _available = capacity;
    }

    /// <summary>The bytes that may be reserved at once.</summary>
    public long Capacity { get; }

    /// <summary>The bytes reserved now.</summary>
    public long InUse
    {
        get
        {
            lock (_lock)
            {
                return Capacity - _available;
            }
        }
    }

    /// <summary>Reservations waiting for bytes to come back.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>
    /// Reserves <paramref name="bytes"/> (at most <see cref="Capacity"/>), waiting while the budget
    /// is spent. Returns the bytes reserved, to give back with <see cref="Release"/>.
    /// </summary>
    /// <param name="bytes">The bytes wanted.</param>
    /// <param name="cancellationToken">Gives up waiting; nothing is then reserved.</param>
    public ValueTask<long> ReserveAsync(long bytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        bytes = Math.Min(bytes, Capacity);
        LinkedListNode<Waiter> node;
        lock (_lock)
        {
            if (_waiters.Count == 0 && _available >= bytes)
            {
                _available -= bytes;
                return ValueTask.FromResult(bytes);
            }

            node = _waiters.AddLast(new Waiter(bytes));
        }

        return new ValueTask<long>(WaitAsync(node, cancellationToken));
    }

    /// <summary>Gives back bytes reserved with <see cref="ReserveAsync"/>.</summary>
    /// <param name="bytes">The bytes <see cref="ReserveAsync"/> returned.</param>
    public void Release(long bytes)
    {
        if (bytes <= 0)
        {
            return;
        }

        lock (_lock)
        {
            _available += bytes;
        }

        Grant();
    }

    private async Task<long> WaitAsync(LinkedListNode<Waiter> node, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() => Cancel(node, cancellationToken));
        return await node.Value.Done.Task.ConfigureAwait(false);
    }

    private void Cancel(LinkedListNode<Waiter> node, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (node.List is null)
            {
                // Granted already: the waiter gets its bytes and gives them back itself.
                return;
            }

            _waiters.Remove(node);
        }

        node.Value.Done.TrySetCanceled(cancellationToken);

        // The first waiter leaving may let the ones behind it in.
        Grant();
    }

    /// <summary>Hands bytes to waiters in order while the first one fits.</summary>
    private void Grant()
    {
        while (true)
        {
            Waiter granted;
            lock (_lock)
            {
                var first = _waiters.First;
                if (first is null || first.Value.Bytes > _available)
                {
                    return;
                }

                _available -= first.Value.Bytes;
                _waiters.RemoveFirst();
                granted = first.Value;
            }

            granted.Done.TrySetResult(granted.Bytes);
        }
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;

        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
