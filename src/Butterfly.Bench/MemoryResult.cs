using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Butterfly.Bench;

/// <summary>The outcome of a <c>bench memory</c> run: one phase per scenario.</summary>
/// <param name="Settings">What was run.</param>
/// <param name="Phases">The daemon's memory around each attack.</param>
public sealed record MemoryResult(MemorySettings Settings, IReadOnlyList<MemoryPhase> Phases)
{
    /// <summary>One phase as a line of text.</summary>
    public static string Line(MemoryPhase p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"  {MemoryRunner.Name(p.Scenario),-10} {p.Connections,4} conns  sent {Mb(p.BytesSent),8:0.0} MB   RSS before {Mb(p.Before),7:0.0} MB  during (max) {Mb(p.During),7:0.0} MB  after {Mb(p.After),7:0.0} MB  HWM {Mb(p.HighWater),7:0.0} MB{(p.CalledOff ? "  (called off: over the cap)" : "")}{(p.Scenario == MemoryScenario.Idle ? $"  ({PerConnectionKb(p):0.0} KB per connection)" : "")}");
    }

    /// <summary>The result as a few lines of text.</summary>
    public string Describe()
    {
        var s = Settings;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"bench memory: daemon pid {s.ProcessId}; frames of {s.FrameBytes:N0} bytes; {s.BacklogClients} x {s.Requests:N0} fetches of {s.MessageBytes:N0} bytes; held {s.Hold.TotalSeconds:0} s, settled {s.Settle.TotalSeconds:0} s");
        foreach (var phase in Phases)
        {
            text.AppendLine(Line(phase));
        }

        return text.ToString();
    }

    /// <summary>Writes the result as one JSON object (sizes in bytes).</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        w.WriteNumber("pid", Settings.ProcessId);
        w.WriteNumber("frameBytes", Settings.FrameBytes);
        w.WriteNumber("messageBytes", Settings.MessageBytes);
        w.WriteNumber("holdSeconds", Settings.Hold.TotalSeconds);
        w.WriteNumber("settleSeconds", Settings.Settle.TotalSeconds);
        w.WriteStartArray("phases");
        foreach (var p in Phases)
        {
            w.WriteStartObject();
            w.WriteString("scenario", MemoryRunner.Name(p.Scenario));
            w.WriteNumber("connections", p.Connections);
            w.WriteNumber("bytesSent", p.BytesSent);
            w.WriteNumber("rssBefore", p.Before);
            w.WriteNumber("rssDuring", p.During);
            w.WriteNumber("rssAfter", p.After);
            w.WriteNumber("highWater", p.HighWater);
            w.WriteBoolean("calledOff", p.CalledOff);
            if (p.Scenario == MemoryScenario.Idle)
            {
                w.WriteNumber("bytesPerConnection", (p.During - p.Before) / Math.Max(1, p.Connections));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The idle scenario's figure: resident memory the open sessions added, per connection, in KB (1,024 bytes).</summary>
    public static double PerConnectionKb(MemoryPhase p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return (p.During - p.Before) / 1024.0 / Math.Max(1, p.Connections);
    }

    private static double Mb(long bytes) => bytes / 1_000_000.0;
}
