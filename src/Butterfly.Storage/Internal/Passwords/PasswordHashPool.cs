using System.Threading.Channels;

namespace Butterfly.Storage.Internal;

/// <summary>
/// A few dedicated threads (about one per core) that compute password hashes, and a queue of bounded
/// length in front of them. A hash costs tens to hundreds of milliseconds of CPU: on thread-pool threads
/// a burst of logins would occupy every one of them and stall delivery until the pool grew. Here the
/// burst waits in the queue, and when the queue is full a new request is refused at once rather than
/// waiting without bound.
/// </summary>
internal sealed class PasswordHashPool : IDisposable
{
    private readonly Channel<Job> _jobs = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Thread[] _workers;
    private readonly int _maxQueued;
    private int _queued;

    public PasswordHashPool(int workers, int maxQueued)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueued, 0);
        _maxQueued = maxQueued;
        _workers = new Thread[workers];
        for (var i = 0; i < workers; i++)
        {
            _workers[i] = new Thread(Run) { IsBackground = true, Name = "Butterfly password hashing" };
            _workers[i].Start();
        }
    }

    /// <summary>Jobs waiting for a worker now (not counting those running).</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>
    /// Queues <paramref name="work"/> unless <see cref="Queued"/> has reached the limit. The task
    /// completes (asynchronously, never on a hashing thread) with the work's result.
    /// </summary>
    /// <returns>False when the queue is full: nothing was queued.</returns>
    public bool TryQueue<T>(Func<T> work, CancellationToken cancellationToken, out Task<T> task)
    {
        if (Interlocked.Increment(ref _queued) > _maxQueued)
        {
            Interlocked.Decrement(ref _queued);
            task = Task.FromResult(default(T)!);
            return false;
        }

        var job = new Job<T>(work, cancellationToken);
        if (!_jobs.Writer.TryWrite(job))
        {
            Interlocked.Decrement(ref _queued);
            task = Task.FromException<T>(new ObjectDisposedException(nameof(PasswordHashPool)));
            return true;
        }

        task = job.Task;
        return true;
    }

    /// <summary>Refuses new work; the workers finish what is queued and exit.</summary>
    public void Dispose() => _jobs.Writer.TryComplete();

    private void Run()
    {
        var reader = _jobs.Reader;
        while (WaitToRead(reader))
        {
            while (reader.TryRead(out var job))
            {
                Interlocked.Decrement(ref _queued);
                job.Run();
            }
        }
    }

    private static bool WaitToRead(ChannelReader<Job> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private abstract class Job
    {
        public abstract void Run();
    }

    private sealed class Job<T>(Func<T> work, CancellationToken cancellationToken) : Job
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _completion.Task;

        public override void Run()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _completion.TrySetCanceled(cancellationToken);
                return;
            }

            try
            {
                _completion.TrySetResult(work());
            }
            catch (Exception ex)
            {
                _completion.TrySetException(ex);
            }
        }
    }
}
