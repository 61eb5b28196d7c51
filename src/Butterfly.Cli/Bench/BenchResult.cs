namespace Butterfly.Cli.Bench;

/// <summary>The outcome of a <c>bench</c> run.</summary>
/// <param name="Settings">What was run.</param>
/// <param name="Requests">Requests completed while measuring (errors included).</param>
/// <param name="Errors">Requests that failed while measuring.</param>
/// <param name="Elapsed">The measured time.</param>
/// <param name="Latency">Latency percentiles in milliseconds.</param>
internal sealed record BenchResult(BenchSettings Settings, long Requests, long Errors, TimeSpan Elapsed, LatencySummary Latency)
{
    /// <summary>Requests per second.</summary>
    public double Throughput => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;
}
