using System.Diagnostics;

namespace Butterfly.Bench;

/// <summary>Percentiles of a set of latencies, in milliseconds.</summary>
/// <param name="Count">How many latencies.</param>
/// <param name="P50">The median.</param>
/// <param name="P99">The 99th percentile.</param>
/// <param name="Max">The largest.</param>
/// <param name="Mean">The average.</param>
public sealed record LatencySummary(long Count, double P50, double P99, double Max, double Mean)
{
    /// <summary>Summarizes latencies sorted ascending, given in ticks of <paramref name="ticksPerSecond"/> (0: <see cref="Stopwatch.Frequency"/>).</summary>
    public static LatencySummary FromSorted(ReadOnlySpan<long> sorted, long ticksPerSecond = 0)
    {
        if (ticksPerSecond <= 0)
        {
            ticksPerSecond = Stopwatch.Frequency;
        }

        if (sorted.IsEmpty)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }

        double sum = 0;
        foreach (var value in sorted)
        {
            sum += value;
        }

        var toMs = 1000.0 / ticksPerSecond;
        return new LatencySummary(
            sorted.Length,
            Percentile(sorted, 50) * toMs,
            Percentile(sorted, 99) * toMs,
            sorted[^1] * toMs,
            sum / sorted.Length * toMs);
    }

    /// <summary>
    /// The nearest-rank percentile: the smallest value such that at least <paramref name="percent"/>%
    /// of the values are at or below it.
    /// </summary>
    public static long Percentile(ReadOnlySpan<long> sorted, double percent)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("No values.", nameof(sorted));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var rank = (long)Math.Ceiling(percent / 100.0 * sorted.Length);
        var index = (int)Math.Clamp(rank - 1, 0, sorted.Length - 1);
        return sorted[index];
    }
}
