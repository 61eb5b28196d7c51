using System.Diagnostics;

namespace Butterfly.Bench;

/// <summary>
/// The measuring window every worker consults: requests that start before <see cref="Start"/>
/// (warm-up) or finish after <see cref="End"/> are not recorded. With a request count, the worker
/// that completes the last counted request closes the window.
/// </summary>
internal sealed class BenchClock
{
    private readonly TaskCompletionSource _countReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _start = long.MaxValue;
    private long _end = long.MaxValue;
    private long _remaining;
    private volatile bool _stopping;

    private readonly bool _counting;

    public BenchClock(long? count)
    {
        _counting = count is not null;
        _remaining = count ?? long.MaxValue;
    }

    public long Start => Volatile.Read(ref _start);

    public long End => Volatile.Read(ref _end);

    public bool Stopping => _stopping;

    /// <summary>Completes when the request count has been reached.</summary>
    public Task CountReached => _countReached.Task;

    public void Open() => Volatile.Write(ref _start, Stopwatch.GetTimestamp());

    public void Close()
    {
        Interlocked.CompareExchange(ref _end, Stopwatch.GetTimestamp(), long.MaxValue);
        _stopping = true;
    }

    /// <summary>
    /// Decides whether a request that ran from <paramref name="started"/> to <paramref name="finished"/>
    /// counts, and closes the window when it is the last one counted.
    /// </summary>
    public bool Counts(long started, long finished)
    {
        if (started < Start || finished > End)
        {
            return false;
        }

        if (!_counting)
        {
            return true;
        }

        var left = Interlocked.Decrement(ref _remaining);
        if (left == 0)
        {
            Close();
            _countReached.TrySetResult();
        }

        return left >= 0;
    }
}
