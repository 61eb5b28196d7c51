using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Telemetry;

/// <summary>
/// The record of one message through the delivery pipeline: the <c>butterfly.deliveries</c> counter, the
/// duration histogram, and one log line at Information in its own category (<see cref="Category"/>), so
/// that an operator can turn the line off without losing the pipeline's warnings. The line is a
/// source-generated <see cref="LoggerMessageAttribute"/> method: nothing is formatted when it is off.
/// </summary>
internal static partial class DeliveryLog
{
    /// <summary>The log category of the per-delivery line.</summary>
    public const string Category = "Butterfly.Delivered";

    /// <summary>Records a message that went through the pipeline.</summary>
    /// <param name="logger">A logger of <see cref="Category"/>.</param>
    /// <param name="source">Where it came from (<see cref="DeliverySources"/>).</param>
    /// <param name="deliveryId">The id that ties it to the queue, the peer, or the sender's reply.</param>
    /// <param name="sender">The envelope sender (empty for the null sender).</param>
    /// <param name="recipients">How many recipients it named.</param>
    /// <param name="outcome">What became of it (<see cref="DeliveryOutcomes"/>).</param>
    /// <param name="bytes">Its size.</param>
    /// <param name="started">When it entered the pipeline (<see cref="Stopwatch.GetTimestamp"/>).</param>
    public static void Record(ILogger logger, string source, string deliveryId, string sender, int recipients, string outcome, long bytes, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var sourceTag = new KeyValuePair<string, object?>("source", source);
        ButterflyMetrics.Deliveries.Add(1, sourceTag, new KeyValuePair<string, object?>("outcome", outcome));
        ButterflyMetrics.DeliveryDuration.Record(elapsed.TotalSeconds, sourceTag);
        Delivered(logger, deliveryId, source, sender, recipients, outcome, bytes, Math.Round(elapsed.TotalMilliseconds, 3));
    }

    /// <summary>Counts one recipient of a message from <paramref name="source"/> by what became of it.</summary>
    /// <param name="source">Where the message came from (<see cref="DeliverySources"/>).</param>
    /// <param name="status">The recipient's status (a constant of the wire's recipient statuses).</param>
    public static void Recipient(string source, string status) =>
        ButterflyMetrics.DeliveryRecipients.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("status", status));

    [LoggerMessage(
        EventId = 1000,
        EventName = "Delivered",
        Level = LogLevel.Information,
        Message = "Delivery {DeliveryId} from {Source} <{Sender}> to {Recipients} recipient(s): {Outcome}, {Bytes} bytes, {Milliseconds} ms")]
    private static partial void Delivered(ILogger logger, string deliveryId, string source, string sender, int recipients, string outcome, long bytes, double milliseconds);
}
