namespace Butterfly.Storage.Internal;

/// <summary>
/// Full-text indexing off the delivery's acknowledgement (README, "Search and threads"). The transaction
/// that stores a content only marks it in <c>search_pending</c>; after its commit the writer hands the
/// content's summary and text to this backlog, and a loop indexes them through the same writer, a batch
/// per operation (FTS5 writes one segment per transaction: bigger batches, fewer segments to merge).
/// A search with words first waits for the backlog as it stood when the search began (<see cref="WaitIndexedAsync"/>),
/// so it finds mail acknowledged before it. The backlog is bounded: past <see cref="MaxBytes"/> new mail
/// waits for room (<see cref="WaitForRoomAsync"/>). After a crash the pending rows remain, and the
/// server's background indexer indexes them from the stored bytes at the next start.
/// </summary>
internal sealed class SearchBacklog : IAsyncDisposable
{
    /// <summary>
    /// The most text held for indexing before new mail waits (about 200 bench messages of 10 KB, three
    /// batches). Small on purpose: what waits here outlives young garbage collections and gets copied.
    /// </summary>
    public const long MaxBytes = 4L << 20;

    /// <summary>The most contents indexed in one write operation, so a delivery queued behind it waits a few milliseconds at most.</summary>
    public const int MaxBatch = 64;

    /// <summary>The most text indexed in one write operation.</summary>
    public const long MaxBatchBytes = 2L << 20;

    private readonly object _lock = new();
    private readonly Queue<IndexEntry> _entries = new();
    private readonly SemaphoreSlim _work = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<IReadOnlyList<IndexEntry>, Task> _index;
    private TaskCompletionSource _progress = NewSignal();
    private TaskCompletionSource _room = NewSignal();
    private long _bytes;
    private long _added;
    private long _indexed;
    private long _firstId = long.MaxValue;
    private Task _loop = Task.CompletedTask;

    /// <param name="index">Indexes a batch in one write operation; completes after its commit.</param>
    public SearchBacklog(Func<IReadOnlyList<IndexEntry>, Task> index)
    {
        _index = index;
    }

    /// <summary>Contents waiting in memory.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// The lowest content id handed to the backlog since the store opened (<see cref="long.MaxValue"/> before
    /// any): pending contents below it were stored before (an upgrade, a crash) and have no text in memory.
    /// New contents get ids above every existing one, so those below are exactly the ones left behind.
    /// </summary>
    public long FirstId => Interlocked.Read(ref _firstId);

    /// <summary>Starts the indexing loop.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Adds the contents a commit just made durable. Called on the writer thread: never blocks.</summary>
    public void Add(List<IndexEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var entry in entries)
            {
                _entries.Enqueue(entry);
                _bytes += entry.Bytes;
                if (entry.ContentId < _firstId)
                {
                    Interlocked.Exchange(ref _firstId, entry.ContentId);
                }
            }

            _added += entries.Count;
        }

        _work.Release();
    }

    /// <summary>Waits while the backlog holds more than <see cref="MaxBytes"/>: new mail waits for the indexer.</summary>
    public Task WaitForRoomAsync(CancellationToken ct)
    {
        Task room;
        lock (_lock)
        {
            if (_bytes <= MaxBytes)
            {
                return Task.CompletedTask;
            }

            room = _room.Task;
        }

        return WaitForRoomSlowAsync(room, ct);
    }

    /// <summary>
    /// Waits until every content added before the call is indexed, or <paramref name="timeout"/> passed.
    /// </summary>
    /// <returns>Whether the backlog caught up.</returns>
    public async Task<bool> WaitIndexedAsync(TimeSpan timeout, CancellationToken ct)
    {
        long target;
        Task progress;
        lock (_lock)
        {
            target = _added;
            if (Volatile.Read(ref _indexed) >= target)
            {
                return true;
            }

            progress = _progress.Task;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                await progress.WaitAsync(deadline.Token).ConfigureAwait(false);
                lock (_lock)
                {
                    if (_indexed >= target)
                    {
                        return true;
                    }

                    progress = _progress.Task;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Tells the loop to stop after the batch it is indexing; what is left goes to <see cref="TakeAll"/>.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _work.Release();
    }

    /// <summary>
    /// Takes every entry left, for the writer's last transaction when it stops (a clean shutdown leaves
    /// nothing for the next start to index).
    /// </summary>
    public List<IndexEntry> TakeAll()
    {
        var all = new List<IndexEntry>();
        while (Take(all, int.MaxValue, long.MaxValue))
        {
        }

        Done(all);
        return all;
    }

    /// <summary>Waits for the loop to end (after <see cref="Stop"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        Stop();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static async Task WaitForRoomSlowAsync(Task room, CancellationToken ct) => await room.WaitAsync(ct).ConfigureAwait(false);

    private async Task RunAsync()
    {
        var batch = new List<IndexEntry>(MaxBatch);
        while (true)
        {
            try
            {
                await _work.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping: index what is left below, then end.
            }

            while (!_stop.IsCancellationRequested && Take(batch, MaxBatch, MaxBatchBytes))
            {
                try
                {
                    await _index(batch).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The writer has stopped (or failed): the batch stays in search_pending, and the server's
                    // background indexer takes it at the next start. Searches are not held up by it.
                }

                Done(batch);
                batch.Clear();
            }

            if (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Takes the oldest entries into <paramref name="batch"/>, up to <paramref name="max"/> and <paramref name="maxBytes"/>.</summary>
    private bool Take(List<IndexEntry> batch, int max, long maxBytes)
    {
        lock (_lock)
        {
            var taken = batch.Count;
            long bytes = 0;
            while (batch.Count < max && _entries.TryPeek(out var entry) && (batch.Count == 0 || bytes + entry.Bytes <= maxBytes))
            {
                batch.Add(_entries.Dequeue());
                bytes += entry.Bytes;
            }

            return batch.Count > taken;
        }
    }

    private void Done(List<IndexEntry> batch)
    {
        TaskCompletionSource progress;
        TaskCompletionSource? room = null;
        lock (_lock)
        {
            var wasFull = _bytes > MaxBytes;
            foreach (var entry in batch)
            {
                _bytes -= entry.Bytes;
            }

            _indexed += batch.Count;
            progress = _progress;
            _progress = NewSignal();
            if (wasFull && _bytes <= MaxBytes)
            {
                room = _room;
                _room = NewSignal();
            }
        }

        progress.TrySetResult();
        room?.TrySetResult();
    }
}
