namespace Butterfly.Server.Delivery;

/// <summary>A recipient the outbound queue could not deliver to, and why.</summary>
/// <param name="Recipient">The recipient address.</param>
/// <param name="Code">The error code (the peer's, or one naming the local failure); null when there is none.</param>
/// <param name="Reason">What happened, in words.</param>
internal sealed record FailedRecipient(string Recipient, string? Code, string Reason)
{
    /// <summary>"code: reason", or the reason alone.</summary>
    public string Describe() => Code is null ? Reason : $"{Code}: {Reason}";
}
