using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Butterfly.Bench;

/// <summary>What <c>bench push</c> measured: from each send's acknowledgement to its event at every subscribed session.</summary>
/// <param name="Count">Messages measured.</param>
/// <param name="Watchers">Subscribed sessions.</param>
/// <param name="Latency">Acknowledgement to event, over every (message, session) pair; an event that came before the acknowledgement counts as 0.</param>
/// <param name="EarlyEvents">Events that arrived before the sender had its acknowledgement.</param>
/// <param name="Missing">Events that never came.</param>
public sealed record PushResult(int Count, int Watchers, LatencySummary Latency, long EarlyEvents, long Missing)
{
    /// <summary>The result as a few lines of text.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"bench push: {Count:N0} sends, one at a time, {Watchers} subscribed sessions of the recipient");
        text.AppendLine(CultureInfo.InvariantCulture, $"  send ack -> event   p50 {Latency.P50:0.000} ms   p99 {Latency.P99:0.000} ms   max {Latency.Max:0.000} ms   mean {Latency.Mean:0.000} ms ({Latency.Count:N0} events)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  events before the ack {EarlyEvents:N0}   missing {Missing:N0}");
        return text.ToString();
    }

    /// <summary>Writes the result as one JSON object.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        w.WriteString("mode", "push");
        w.WriteNumber("count", Count);
        w.WriteNumber("watchers", Watchers);
        w.WriteNumber("events", Latency.Count);
        w.WriteNumber("p50Ms", Math.Round(Latency.P50, 3));
        w.WriteNumber("p99Ms", Math.Round(Latency.P99, 3));
        w.WriteNumber("maxMs", Math.Round(Latency.Max, 3));
        w.WriteNumber("meanMs", Math.Round(Latency.Mean, 3));
        w.WriteNumber("earlyEvents", EarlyEvents);
        w.WriteNumber("missing", Missing);
        w.WriteEndObject();
    }
}
