namespace Butterfly.Bench;

/// <summary>
/// Collects latencies (in <see cref="System.Diagnostics.Stopwatch"/> ticks) for one worker, without
/// locking: each worker owns its recorder and the recorders are merged once the run is over.
/// </summary>
internal sealed class LatencyRecorder
{
    private long[] _values;

    public LatencyRecorder(int capacity = 1024)
    {
        _values = new long[Math.Max(16, capacity)];
    }

    /// <summary>How many latencies were recorded.</summary>
    public int Count { get; private set; }

    /// <summary>Requests that failed (error reply, timeout, lost connection) while measuring.</summary>
    public long Errors { get; set; }

    public void Record(long ticks)
    {
        if (Count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[Count++] = ticks;
    }

    /// <summary>The recorded values (not sorted).</summary>
    public ReadOnlySpan<long> Values => _values.AsSpan(0, Count);

    /// <summary>Every recorder's values in one sorted array.</summary>
    public static long[] MergeSorted(IEnumerable<LatencyRecorder> recorders)
    {
        var list = recorders.ToList();
        var merged = new long[list.Sum(r => (long)r.Count)];
        var offset = 0;
        foreach (var recorder in list)
        {
            recorder.Values.CopyTo(merged.AsSpan(offset));
            offset += recorder.Count;
        }

        Array.Sort(merged);
        return merged;
    }
}
