using Butterfly.Bench;
using Xunit;

namespace Butterfly.Cli.Tests.Bench;

public sealed class LatencySummaryTests
{
    [Fact]
    public void Percentile_OneToHundred_NearestRank()
    {
        var values = Enumerable.Range(1, 100).Select(i => (long)i).ToArray();

        Assert.Equal(50, LatencySummary.Percentile(values, 50));
        Assert.Equal(99, LatencySummary.Percentile(values, 99));
        Assert.Equal(100, LatencySummary.Percentile(values, 100));
        Assert.Equal(1, LatencySummary.Percentile(values, 0));
        Assert.Equal(1, LatencySummary.Percentile(values, 1));
    }

    [Fact]
    public void Percentile_SingleValue_IsThatValue()
    {
        Assert.Equal(7, LatencySummary.Percentile([7], 50));
        Assert.Equal(7, LatencySummary.Percentile([7], 99));
    }

    [Fact]
    public void Percentile_TenValues_P99IsTheLargest()
    {
        // Nearest rank: ceil(0.99 * 10) = 10th value.
        long[] values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1000];

        Assert.Equal(1000, LatencySummary.Percentile(values, 99));
        Assert.Equal(5, LatencySummary.Percentile(values, 50));
    }

    [Fact]
    public void Percentile_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => LatencySummary.Percentile([], 50));
    }

    [Fact]
    public void FromSorted_Ticks_ConvertedToMilliseconds()
    {
        // 1,000 ticks per second: a tick is a millisecond.
        long[] values = [1, 2, 3, 4, 10];

        var summary = LatencySummary.FromSorted(values, ticksPerSecond: 1000);

        Assert.Equal(5, summary.Count);
        Assert.Equal(3.0, summary.P50);
        Assert.Equal(10.0, summary.P99);
        Assert.Equal(10.0, summary.Max);
        Assert.Equal(4.0, summary.Mean);
    }

    [Fact]
    public void FromSorted_Empty_AllZero()
    {
        var summary = LatencySummary.FromSorted([], 1000);

        Assert.Equal(0, summary.Count);
        Assert.Equal(0, summary.Max);
    }

    [Fact]
    public void MergeSorted_SeveralRecorders_OneSortedArray()
    {
        var a = new LatencyRecorder(2);
        var b = new LatencyRecorder(2);
        foreach (var v in new long[] { 5, 1, 9 })
        {
            a.Record(v);
        }

        for (var v = 100L; v > 0; v -= 10)
        {
            b.Record(v);
        }

        var merged = LatencyRecorder.MergeSorted([a, b]);

        Assert.Equal(13, merged.Length);
        Assert.Equal(merged.Order(), merged);
        Assert.Equal(1, merged[0]);
        Assert.Equal(100, merged[^1]);
    }
}
