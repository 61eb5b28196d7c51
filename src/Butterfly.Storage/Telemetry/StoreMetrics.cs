using System.Diagnostics.Metrics;

namespace Butterfly.Storage;

/// <summary>
/// The store's instruments (README.md, "Watching it"), on their own <see cref="Meter"/> because the store
/// knows nothing of the server: the writer records each committed transaction's size and the time its
/// COMMIT took, which is mostly the WAL fsync.
/// </summary>
public static class StoreMetrics
{
    /// <summary>The meter's name, for a listener or exporter to subscribe to.</summary>
    public const string MeterName = "Butterfly.Storage";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Write operations per committed transaction (group commit: many callers share one fsync).</summary>
    internal static readonly Histogram<int> CommitBatchSize = Meter.CreateHistogram(
        "butterfly.store.commit.batch_size",
        unit: "{operation}",
        description: "Write operations committed together in one transaction (one fsync).",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    /// <summary>Seconds one COMMIT took, which is mostly waiting for the WAL's fsync.</summary>
    internal static readonly Histogram<double> CommitDuration = Meter.CreateHistogram(
        "butterfly.store.commit.duration",
        unit: "s",
        description: "Time one transaction's COMMIT took, mostly the WAL fsync.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1] });
}
