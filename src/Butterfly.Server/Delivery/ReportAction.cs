namespace Butterfly.Server.Delivery;

/// <summary>What a delivery status notice says happened to its recipients (RFC 3464 §2.3.3, "Action").</summary>
internal enum ReportAction
{
    /// <summary>Delivery failed for good: a bounce.</summary>
    Failed,

    /// <summary>Not delivered yet, still trying: a delay notice.</summary>
    Delayed,
}
