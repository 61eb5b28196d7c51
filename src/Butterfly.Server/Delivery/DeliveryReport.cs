namespace Butterfly.Server.Delivery;

/// <summary>A delivery status notice to write (RFC 3464): about which message, to whom, and what became of its recipients.</summary>
/// <param name="Action">Failed (a bounce) or delayed (a delay notice).</param>
/// <param name="Sender">The reported message's envelope sender, who receives the notice.</param>
/// <param name="Recipients">Each recipient reported on, and why it failed or waits.</param>
/// <param name="Original">The reported message; its header block is attached.</param>
/// <param name="Arrival">When the reported message arrived here (queued, or held).</param>
/// <param name="Hops">The reported message's hops; the notice makes one more.</param>
internal sealed record DeliveryReport(
    ReportAction Action,
    string Sender,
    IReadOnlyList<FailedRecipient> Recipients,
    ReadOnlyMemory<byte> Original,
    DateTimeOffset Arrival,
    int Hops)
{
    /// <summary>For a delay: when the queue gives up (RFC 3464 §2.3.9, "Will-Retry-Until").</summary>
    public DateTimeOffset? RetryUntil { get; init; }
}
