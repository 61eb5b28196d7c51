namespace Butterfly.Server.Mail;

/// <summary>The per-recipient status words of send replies and peer results.</summary>
internal static class RecipientStatus
{
    /// <summary>Stored in the recipient's mailbox (or taken over durably by the receiving server).</summary>
    public const string Delivered = "delivered";

    /// <summary>Queued for a remote domain.</summary>
    public const string Queued = "queued";

    /// <summary>Held durably until a filter can decide.</summary>
    public const string Held = "held";

    /// <summary>No such account: permanent.</summary>
    public const string Unknown = "unknown";

    /// <summary>Refused by policy or a filter: permanent.</summary>
    public const string Rejected = "rejected";

    /// <summary>Failed for now: try again later.</summary>
    public const string TempFail = "tempfail";

    /// <summary>The mailbox is full: permanent for this message.</summary>
    public const string OverQuota = "over-quota";

    /// <summary>Accepted and dropped by a filter.</summary>
    public const string Discarded = "discarded";
}
