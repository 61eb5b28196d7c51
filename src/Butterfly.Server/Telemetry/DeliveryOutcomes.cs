namespace Butterfly.Server.Telemetry;

/// <summary>The <c>outcome</c> tag of <c>butterfly.deliveries</c> and the delivery log line.</summary>
internal static class DeliveryOutcomes
{
    /// <summary>Taken for every recipient (delivered, queued for another server, or held for a filter).</summary>
    public const string Accepted = "accepted";

    /// <summary>Taken for some recipients, refused for others.</summary>
    public const string Partial = "partial";

    /// <summary>Refused whole, or by every recipient.</summary>
    public const string Rejected = "rejected";

    /// <summary>Not stored now (the disk is full, a store error): the sender or the queue tries again.</summary>
    public const string Failed = "failed";

    /// <summary>A repeat of a delivery (or submission) id already committed: answered as the first time, nothing stored.</summary>
    public const string Duplicate = "duplicate";
}
