namespace Butterfly.Server.Delivery;

/// <summary>A recipient a message could not be delivered to (yet), and why.</summary>
/// <param name="Recipient">The recipient address.</param>
/// <param name="Code">The error code (the peer's, or one naming the local failure); null when there is none.</param>
/// <param name="Reason">What happened, in words.</param>
internal sealed record FailedRecipient(string Recipient, string? Code, string Reason)
{
    /// <summary>The peer server that reported the failure (RFC 3464 Remote-MTA); null when this server found it.</summary>
    public string? RemoteMta { get; init; }

    /// <summary>Whether a later attempt might succeed (a 4.x.x status, RFC 3463), even once the queue gives up.</summary>
    public bool Temporary { get; init; }

    /// <summary>"code: reason", or the reason alone.</summary>
    public string Describe() => Code is null ? Reason : $"{Code}: {Reason}";
}
