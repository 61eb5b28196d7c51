using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Butterfly.Bench;

/// <summary>The outcome of a <c>bench ping</c> or <c>bench send</c> run.</summary>
/// <param name="Settings">What was run.</param>
/// <param name="Requests">Requests completed while measuring (errors included).</param>
/// <param name="Errors">Requests that failed while measuring.</param>
/// <param name="Elapsed">The measured time.</param>
/// <param name="Latency">Latency percentiles in milliseconds.</param>
public sealed record BenchResult(BenchSettings Settings, long Requests, long Errors, TimeSpan Elapsed, LatencySummary Latency)
{
    /// <summary>Requests per second.</summary>
    public double Throughput => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;

    /// <summary>The result as a few lines of text.</summary>
    public string Describe()
    {
        var s = Settings;
        var unit = s.Mode == BenchMode.Ping ? "requests" : "messages";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"bench {s.ModeName}: {s.Clients} clients x {s.Pipeline} in flight{(s.Mode == BenchMode.Send ? $", {s.Size} bytes" : "")}, {Elapsed.TotalSeconds:0.00} s measured");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {unit,-11}{Requests:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"throughput",-11}{Throughput:N0} /s");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"latency",-11}p50 {Latency.P50:0.000} ms   p99 {Latency.P99:0.000} ms   max {Latency.Max:0.000} ms");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"errors",-11}{Errors:N0}");
        return text.ToString();
    }

    /// <summary>Writes the result as one JSON object.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        var s = Settings;
        w.WriteStartObject();
        w.WriteString("mode", s.ModeName);
        w.WriteNumber("clients", s.Clients);
        w.WriteNumber("pipeline", s.Pipeline);
        if (s.Mode == BenchMode.Send)
        {
            w.WriteNumber("size", s.Size);
        }

        w.WriteNumber("seconds", Math.Round(Elapsed.TotalSeconds, 3));
        w.WriteNumber("requests", Requests);
        w.WriteNumber("throughput", Math.Round(Throughput, 1));
        w.WriteStartObject("latencyMs");
        w.WriteNumber("p50", Math.Round(Latency.P50, 3));
        w.WriteNumber("p99", Math.Round(Latency.P99, 3));
        w.WriteNumber("max", Math.Round(Latency.Max, 3));
        w.WriteNumber("mean", Math.Round(Latency.Mean, 3));
        w.WriteEndObject();
        w.WriteNumber("errors", Errors);
        w.WriteEndObject();
    }
}
