using System.Diagnostics;
using System.Threading.Channels;

namespace Butterfly.Storage.Internal;

/// <summary>
/// The single writer. It owns the only write connection, takes everything waiting in its queue (up to
/// the batch size), runs each operation in a savepoint inside one transaction and commits once, so
/// concurrent writers share one fsync. Tasks complete after the commit: an acknowledged write is durable.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    // Synchronous continuations: the only continuation on this channel is the writer thread's wake-up,
    // so a producer wakes it directly instead of through a thread-pool hop. Callers' continuations never
    // run on the writer: their tasks complete asynchronously (see WriteOperation<T>).
    private readonly Channel<WriteOperation> _queue = Channel.CreateUnbounded<WriteOperation>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });

    private readonly WriterContext _context;
    private readonly DiskSpace _space;
    private readonly string _folder;
    private readonly int _maxBatchSize;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _commits;
    private long _operations;
    private long _largestBatch;
    private long _executeTicks;
    private long _commitTicks;
    private volatile Exception? _failure;

    // Gathering: see GatherReturningWriters.
    private static readonly TimeSpan MaxGatherDelay = TimeSpan.FromMilliseconds(2);
    private readonly ManualResetEventSlim _gathered = new(false);
    private int _gatherTarget = int.MaxValue;

    // Told after each commit which accounts changed (MailStore.OnCommitted); copied on write.
    private readonly CommitListeners _listeners = new();
    private int _queued;
    private long _lastCommitTicks;

    public GroupCommitWriter(SqliteSession session, int maxBatchSize, DiskSpace space, string folder)
    {
        _context = new WriterContext(session);
        _space = space;
        _folder = folder;
        _maxBatchSize = maxBatchSize;
        // Linux keeps 15 characters of a thread's name (perf, top): the writer and the checkpointer stay apart.
        _thread = new Thread(Run) { IsBackground = true, Name = "Store writer" };
        _thread.Start();
    }

    /// <summary>Takes, after each commit, the contents it stored for the search index (set once, at open).</summary>
    public SearchBacklog? Backlog { get; set; }

    public StoreStatistics Statistics => new(
        Interlocked.Read(ref _commits),
        Interlocked.Read(ref _operations),
        Interlocked.Read(ref _largestBatch),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _executeTicks)),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _commitTicks)));

    /// <summary>Queues <paramref name="body"/> for the writer; the task completes after its commit.</summary>
    /// <param name="body">The operation, run on the writer thread inside its own savepoint.</param>
    /// <param name="cancellationToken">Honoured until the operation starts.</param>
    /// <param name="freesSpace">A delete, move, flag change or folder deletion, which may use the disk reserve.</param>
    /// <exception cref="StoreException"><see cref="StoreError.StorageFull"/>: the disk is full (the task fails with it).</exception>
    public Task<T> EnqueueAsync<T>(Func<WriterContext, T> body, CancellationToken cancellationToken, bool freesSpace = false)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var operation = new WriteOperation<T>(body, cancellationToken, freesSpace);
        var queued = Interlocked.Increment(ref _queued);
        if (_queue.Writer.TryWrite(operation))
        {
            if (queued >= Volatile.Read(ref _gatherTarget))
            {
                _gathered.Set();
            }
        }
        else
        {
            Interlocked.Decrement(ref _queued);
            return _failure is null
                ? Task.FromException<T>(new ObjectDisposedException(nameof(MailStore)))
                : Task.FromException<T>(new StoreException("The store's writer has stopped after an unexpected error.", _failure));
        }

        return operation.Task;
    }

    /// <summary>Adds a listener told after each commit which accounts' modification sequences moved.</summary>
    public IDisposable AddListener(Action<IReadOnlyList<AccountState>> listener) => _listeners.Add(listener);

    /// <summary>Stops accepting work, lets the writer finish everything queued, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
        _context.Dispose();

        // _gathered is not disposed: a producer racing with shutdown may still Set it. It holds no kernel
        // handle (nothing reads its WaitHandle), so there is nothing to release.
    }

    private void Run()
    {
        var batch = new List<WriteOperation>(_maxBatchSize);
        var reader = _queue.Reader;
        try
        {
            while (WaitToRead(reader))
            {
                while (batch.Count < _maxBatchSize && reader.TryRead(out var operation))
                {
                    Interlocked.Decrement(ref _queued);
                    if (operation.CancellationToken.IsCancellationRequested)
                    {
                        operation.Cancel();
                    }
                    else
                    {
                        batch.Add(operation);
                    }
                }

                if (batch.Count > 0)
                {
                    RunBatch(batch);
                    var completed = batch.Count;
                    batch.Clear();
                    GatherReturningWriters(completed);
                }
            }

            IndexWhatIsLeft();
            _stopped.TrySetResult();
        }
        catch (Exception ex)
        {
            // Should not happen: RunBatch fails operations rather than throwing. Refuse new work and fail
            // what is left, so no caller waits forever on a writer that is gone.
            _failure = ex;
            _queue.Writer.TryComplete(ex);
            foreach (var operation in batch)
            {
                operation.Fail(ex);
            }

            while (reader.TryRead(out var operation))
            {
                operation.Fail(ex);
            }

            _stopped.TrySetResult();
        }
    }

    /// <summary>Stopping: the search backlog's last entries, indexed in one last transaction (SearchBacklog).</summary>
    private void IndexWhatIsLeft()
    {
        if (Backlog?.TakeAll() is not { Count: > 0 } left)
        {
            return;
        }

        RunBatch([new WriteOperation<bool>(context => context.Search.IndexDeferred(left), CancellationToken.None, freesSpace: false)]);
    }

    /// <summary>
    /// After a commit, the callers just acknowledged often come straight back with more work. Starting
    /// the next transaction at once would give them a separate, later fsync; waiting a moment (at most
    /// half the last commit's duration, never more than 2 ms) lets them join the next batch instead, so
    /// concurrent writers share fsyncs rather than alternate between two half-size batches. Nothing is
    /// waited for after a batch of one (a lone writer gets no extra latency).
    /// </summary>
    private void GatherReturningWriters(int completed)
    {
        if (completed < 2)
        {
            return;
        }

        var target = Math.Min(Volatile.Read(ref _queued) + completed, _maxBatchSize);
        if (Volatile.Read(ref _queued) >= target)
        {
            return;
        }

        var delay = Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _lastCommitTicks) / 2);
        if (delay > MaxGatherDelay)
        {
            delay = MaxGatherDelay;
        }

        _gathered.Reset();
        Volatile.Write(ref _gatherTarget, target);
        if (Volatile.Read(ref _queued) < target)
        {
            _gathered.Wait(delay);
        }

        Volatile.Write(ref _gatherTarget, int.MaxValue);
    }

    private static bool WaitToRead(ChannelReader<WriteOperation> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void RunBatch(List<WriteOperation> batch, bool reserveTried = false)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            _context.Begin();
        }
        catch (Exception ex)
        {
            foreach (var operation in batch)
            {
                operation.Fail(ex);
            }

            return;
        }

        var succeeded = new List<WriteOperation>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var operation = batch[i];
            try
            {
                _context.Savepoint();
                operation.Execute(_context);
                if (operation.RollbackRequested)
                {
                    _context.RollbackToSavepoint();
                }

                _context.ReleaseSavepoint();
                succeeded.Add(operation);
            }
            catch (Exception ex) when (DiskFull.Is(ex))
            {
                // SQLite may have lost the transaction: start this batch again from nothing.
                _context.TryRollback();
                RunOnFullDisk(batch, ex, reserveTried);
                return;
            }
            catch (Exception ex)
            {
                operation.Fail(ex);
                if (!TryRollbackToSavepoint())
                {
                    // The transaction itself is gone (an I/O error, disk full): nothing of this batch
                    // was kept. Run the operations that had succeeded and those not yet run again.
                    _context.TryRollback();
                    var rest = new List<WriteOperation>(succeeded);
                    rest.AddRange(batch.Skip(i + 1));
                    if (rest.Count > 0 && rest.Count < batch.Count)
                    {
                        RunBatch(rest, reserveTried);
                    }
                    else
                    {
                        foreach (var other in rest)
                        {
                            other.Fail(ex);
                        }
                    }

                    return;
                }
            }
        }

        var executed = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _executeTicks, executed - started);
        try
        {
            _context.Commit();
            var commitTicks = Stopwatch.GetTimestamp() - executed;
            Interlocked.Add(ref _commitTicks, commitTicks);
            Interlocked.Exchange(ref _lastCommitTicks, commitTicks);
            StoreMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(0, commitTicks).TotalSeconds);
            StoreMetrics.CommitBatchSize.Record(batch.Count);
        }
        catch (Exception ex) when (DiskFull.Is(ex))
        {
            _context.TryRollback();
            RunOnFullDisk(succeeded, ex, reserveTried);
            return;
        }
        catch (Exception ex)
        {
            _context.TryRollback();
            foreach (var operation in succeeded)
            {
                operation.Fail(ex);
            }

            return;
        }

        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _operations, batch.Count);
        if (batch.Count > Interlocked.Read(ref _largestBatch))
        {
            Interlocked.Exchange(ref _largestBatch, batch.Count);
        }

        // Before the callers hear of it: a search started after a delivery's acknowledgement (or its push
        // event) waits for the index to take in this commit's contents.
        Backlog?.Add(_context.Deferred);
        _context.Deferred.Clear();
        AnnounceChanges();
        foreach (var operation in succeeded)
        {
            operation.Complete();
        }
    }

    /// <summary>
    /// The disk is full and nothing of <paramref name="batch"/> was kept. Writes that add mail fail
    /// with <see cref="StoreError.StorageFull"/>; writes that free space (deletes, moves, flags) run
    /// again, once, after the disk reserve is given up for them: they are how a user makes room.
    /// </summary>
    private void RunOnFullDisk(List<WriteOperation> batch, Exception cause, bool reserveTried)
    {
        var full = Failures.StorageFull(_folder, cause);
        var freeing = new List<WriteOperation>(batch.Count);
        foreach (var operation in batch)
        {
            if (operation.FreesSpace && !reserveTried)
            {
                freeing.Add(operation);
            }
            else
            {
                operation.Fail(full);
            }
        }

        if (freeing.Count == 0)
        {
            return;
        }

        // The reserve's space first lets the checkpoint copy what the WAL holds into the database (which
        // may need to grow for mail that came in as the disk filled) and truncate the WAL; the retry then
        // writes its few pages into a WAL that starts again from nothing. Without a reserve left, the
        // checkpoint alone may still make the room: one more try either way.
        _space.TryReleaseReserve();
        _context.TryTruncateWal();
        RunBatch(freeing, reserveTried: true);
    }

    /// <summary>Tells the listeners which accounts this commit changed. They must not block: this is the writer thread.</summary>
    private void AnnounceChanges()
    {
        var changed = _context.ChangedAccounts;
        if (changed.Count == 0 || !_listeners.Any)
        {
            changed.Clear();
            return;
        }

        var states = new AccountState[changed.Count];
        var i = 0;
        foreach (var (account, modSeq) in changed)
        {
            states[i++] = new AccountState(account, modSeq);
        }

        changed.Clear();
        _listeners.Tell(states);
    }

    private bool TryRollbackToSavepoint()
    {
        try
        {
            _context.RollbackToSavepoint();
            _context.ReleaseSavepoint();
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
