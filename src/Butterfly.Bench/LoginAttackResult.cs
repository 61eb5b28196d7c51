using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Butterfly.Bench;

/// <summary>The outcome of a <c>bench login</c> run.</summary>
/// <param name="Settings">What was run.</param>
/// <param name="Latency">Time from connecting to the login's success, retries included, in milliseconds.</param>
/// <param name="Failed">Timed logins that did not succeed within the give-up time.</param>
/// <param name="Retries">Times a timed login was refused (<c>server.busy</c>, or the connection closed) and tried again.</param>
/// <param name="FloodHeld">Flood connections open when the timed logins ended.</param>
/// <param name="FloodRefused">Flood connections the server refused or closed with <c>server.busy</c> during the run.</param>
/// <param name="Guesses">Wrong passwords the server answered during the timed logins.</param>
/// <param name="Elapsed">How long the timed logins took in all.</param>
public sealed record LoginAttackResult(
    LoginAttackSettings Settings,
    LatencySummary Latency,
    long Failed,
    long Retries,
    long FloodHeld,
    long FloodRefused,
    long Guesses,
    TimeSpan Elapsed)
{
    /// <summary>The result as a few lines of text.</summary>
    public string Describe()
    {
        var s = Settings;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"bench login: {s.Logins} logins as {s.User}; flood {s.Flood} from {s.FloodFrom}; {s.Guessers} guessers from {s.GuessAddresses} address(es) at {s.GuessFrom}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"latency",-14}p50 {Latency.P50:0.0} ms   p99 {Latency.P99:0.0} ms   max {Latency.Max:0.0} ms");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"failed",-14}{Failed:N0}   retries {Retries:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"flood",-14}{FloodHeld:N0} held at the end, {FloodRefused:N0} refused or closed as busy");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"guesses",-14}{Guesses:N0} answered in {Elapsed.TotalSeconds:0.0} s ({Guesses / Math.Max(0.001, Elapsed.TotalSeconds):0.0} /s)");
        return text.ToString();
    }

    /// <summary>Writes the result as one JSON object.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        var s = Settings;
        w.WriteStartObject();
        w.WriteString("mode", "login");
        w.WriteNumber("logins", s.Logins);
        w.WriteNumber("flood", s.Flood);
        w.WriteNumber("guessers", s.Guessers);
        w.WriteStartObject("latencyMs");
        w.WriteNumber("p50", Math.Round(Latency.P50, 1));
        w.WriteNumber("p99", Math.Round(Latency.P99, 1));
        w.WriteNumber("max", Math.Round(Latency.Max, 1));
        w.WriteNumber("mean", Math.Round(Latency.Mean, 1));
        w.WriteEndObject();
        w.WriteNumber("failed", Failed);
        w.WriteNumber("retries", Retries);
        w.WriteNumber("floodHeld", FloodHeld);
        w.WriteNumber("floodRefused", FloodRefused);
        w.WriteNumber("guesses", Guesses);
        w.WriteNumber("seconds", Math.Round(Elapsed.TotalSeconds, 3));
        w.WriteEndObject();
    }
}
