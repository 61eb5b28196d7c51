using System.Runtime.ExceptionServices;

namespace Butterfly.Scripting.Internal;

/// <summary>
/// Long-lived threads with one deep stack size (see <see cref="DeepStack"/>), each running one body at a
/// time. Starting a thread per run cost more than a pass-through run itself: the caller spun in
/// <c>sched_yield</c> until the new thread was up (a third of a run's CPU in a profile), and each new thread
/// mapped its stack afresh.
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="MaxIdle"/> threads wait for work; a body that finds none idle gets a new
/// thread, which afterwards waits for work only if fewer than <see cref="MaxIdle"/> do (so the threads alive
/// never exceed the runs going at once plus <see cref="MaxIdle"/>). A thread idle for
/// <see cref="IdleTimeout"/> ends, giving back its stack. A body may ask for its thread to end after it
/// (<c>keepThread</c> false): after a run stopped for memory or recursion the stack may have been touched
/// deep down, and those pages stay committed while the thread lives.
/// Runs share nothing through the thread: each builds its own engine, and Jint's per-entry limits are
/// measured from the entry (the memory budget as the thread's allocation count at the entry).
/// </remarks>
internal sealed class DeepStackPool
{
    private readonly Stack<Worker> _idle = new();
    private int _threadsStarted;

    public DeepStackPool(int stackBytes, int maxIdle, TimeSpan idleTimeout)
    {
        StackBytes = stackBytes;
        MaxIdle = maxIdle;
        IdleTimeout = idleTimeout;
    }

    /// <summary>The stack size of every thread of this pool.</summary>
    public int StackBytes { get; }

    /// <summary>The most threads kept waiting for work.</summary>
    public int MaxIdle { get; }

    /// <summary>How long a thread waits for work before it ends.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>Threads started since the pool was made (a test sees reuse in it).</summary>
    public int ThreadsStarted => Volatile.Read(ref _threadsStarted);

    /// <summary>Threads waiting for work now.</summary>
    public int IdleThreads
    {
        get
        {
            lock (_idle)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> on a pooled thread; the calling thread blocks until it is done.</summary>
    public T Run<T>(Func<T> body, Func<T, bool> keepThread)
    {
        var item = new WorkItem<T>(body, keepThread, completion: null);
        Start(item);
        item.WaitDone();
        return item.Result();
    }

    /// <summary>Runs <paramref name="body"/> on a pooled thread; no thread waits for it.</summary>
    public Task<T> RunAsync<T>(Func<T> body, Func<T, bool> keepThread)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Start(new WorkItem<T>(body, keepThread, completion));
        return completion.Task;
    }

    private void Start(IWorkItem item)
    {
        Worker? worker = null;
        lock (_idle)
        {
            if (_idle.Count > 0)
            {
                worker = _idle.Pop();
                worker.Assigned = true;
            }
        }

        if (worker is null)
        {
            worker = new Worker(this) { Assigned = true };
            Interlocked.Increment(ref _threadsStarted);
            worker.Give(item);
            worker.Start();
            return;
        }

        worker.Give(item);
    }

    // Called by a worker after a body: back to the idle stack, or false to end.
    private bool ReturnIdle(Worker worker)
    {
        lock (_idle)
        {
            if (_idle.Count >= MaxIdle)
            {
                return false;
            }

            worker.Assigned = false;
            _idle.Push(worker);
            return true;
        }
    }

    // Called by a worker whose wait timed out: ends unless it was handed work meanwhile.
    private bool Retire(Worker worker)
    {
        lock (_idle)
        {
            if (worker.Assigned)
            {
                return false;
            }

            // Not at the top in general: rebuild without it (the stack is small and this is rare).
            var others = _idle.Where(w => w != worker).Reverse().ToList();
            _idle.Clear();
            foreach (var other in others)
            {
                _idle.Push(other);
            }

            return true;
        }
    }

    private interface IWorkItem
    {
        /// <summary>
        /// Runs the body, then <paramref name="release"/> with whether the thread may take more work (it puts
        /// the thread back before the caller hears of the result, so a caller's next run finds it idle);
        /// returns what <paramref name="release"/> said.
        /// </summary>
        bool Execute(Func<bool, bool> release);
    }

    private sealed class WorkItem<T>(Func<T> body, Func<T, bool> keepThread, TaskCompletionSource<T>? completion) : IWorkItem
    {
        private T _result = default!;
        private ExceptionDispatchInfo? _failure;
        private bool _done;

        public bool Execute(Func<bool, bool> release)
        {
            var keep = false;
            try
            {
                _result = body();
                keep = keepThread(_result);
            }
            catch (Exception exception)
            {
                _failure = ExceptionDispatchInfo.Capture(exception);
            }

            var stays = release(keep);
            if (completion is not null)
            {
                if (_failure is null)
                {
                    completion.SetResult(_result);
                }
                else
                {
                    completion.SetException(_failure.SourceException);
                }
            }
            else
            {
                lock (this)
                {
                    _done = true;
                    Monitor.Pulse(this);
                }
            }

            return stays;
        }

        public void WaitDone()
        {
            // A blocking wait, not a spinning one: the run takes longer than any spin would pay for.
            lock (this)
            {
                while (!_done)
                {
                    Monitor.Wait(this);
                }
            }
        }

        public T Result()
        {
            _failure?.Throw();
            return _result;
        }
    }

    private sealed class Worker(DeepStackPool pool)
    {
        private readonly object _gate = new();
        private IWorkItem? _item;

        /// <summary>Taken off the idle stack for a body (guarded by the pool's lock).</summary>
        public bool Assigned { get; set; }

        public void Start() =>
            new Thread(Loop, pool.StackBytes) { IsBackground = true, Name = "script run" }.UnsafeStart();

        public void Give(IWorkItem item)
        {
            lock (_gate)
            {
                _item = item;
                Monitor.Pulse(_gate);
            }
        }

        private void Loop()
        {
            while (Take() is { } item)
            {
                if (!item.Execute(keep => keep && pool.ReturnIdle(this)))
                {
                    return;
                }
            }
        }

        private IWorkItem? Take()
        {
            lock (_gate)
            {
                while (_item is null)
                {
                    if (!Monitor.Wait(_gate, pool.IdleTimeout) && _item is null && pool.Retire(this))
                    {
                        return null;
                    }
                }

                var item = _item;
                _item = null;
                return item;
            }
        }
    }
}
