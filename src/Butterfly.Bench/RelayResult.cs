using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Butterfly.Bench;

/// <summary>What <c>bench relay</c> measured.</summary>
/// <param name="Count">Messages sent.</param>
/// <param name="Size">Bytes per message.</param>
/// <param name="Clients">Sending connections.</param>
/// <param name="Pipeline">Sends in flight per connection.</param>
/// <param name="Errors">Sends refused.</param>
/// <param name="Acknowledged">From the first send to the last acknowledgement.</param>
/// <param name="Delivered">From the first send until the recipient's Inbox held them all.</param>
/// <param name="Arrived">Messages counted in the recipient's Inbox.</param>
/// <param name="FirstError">The first refusal, if any.</param>
/// <param name="TimedOut">True when not every accepted message arrived within the timeout.</param>
public sealed record RelayResult(
    int Count,
    int Size,
    int Clients,
    int Pipeline,
    int Errors,
    TimeSpan Acknowledged,
    TimeSpan Delivered,
    long Arrived,
    string? FirstError,
    bool TimedOut = false)
{
    /// <summary>Send acknowledgements per second.</summary>
    public double AckRate => (Count - Errors) / Math.Max(Acknowledged.TotalSeconds, 1e-9);

    /// <summary>Messages per second, end to end.</summary>
    public double DeliveryRate => Arrived / Math.Max(Delivered.TotalSeconds, 1e-9);

    /// <summary>The result as a few lines of text.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"bench relay: {Count:N0} messages of {Size:N0} bytes, {Clients} clients x {Pipeline} in flight");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"acknowledged",-13}{Acknowledged.TotalSeconds:0.00} s   {AckRate:N0} msgs/s (send replies from the sending server)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"delivered",-13}{Delivered.TotalSeconds:0.00} s   {DeliveryRate:N0} msgs/s end to end (in the recipient's Inbox)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"errors",-13}{Errors:N0}{(FirstError is null ? string.Empty : "   first: " + FirstError)}");
        return text.ToString();
    }

    /// <summary>Writes the result as one JSON object.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        w.WriteString("mode", "relay");
        w.WriteNumber("count", Count);
        w.WriteNumber("size", Size);
        w.WriteNumber("clients", Clients);
        w.WriteNumber("pipeline", Pipeline);
        w.WriteNumber("ackSeconds", Math.Round(Acknowledged.TotalSeconds, 3));
        w.WriteNumber("ackThroughput", Math.Round(AckRate, 1));
        w.WriteNumber("deliveredSeconds", Math.Round(Delivered.TotalSeconds, 3));
        w.WriteNumber("throughput", Math.Round(DeliveryRate, 1));
        w.WriteNumber("arrived", Arrived);
        w.WriteNumber("errors", Errors);
        if (FirstError is not null)
        {
            w.WriteString("firstError", FirstError);
        }

        w.WriteEndObject();
    }
}
