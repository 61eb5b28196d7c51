namespace Butterfly.Server.Mail;

/// <summary>What became of one recipient of a delivery from a peer (protocol/peer.md, "Results").</summary>
/// <param name="Recipient">The recipient address.</param>
/// <param name="Status"><c>delivered</c>, <c>unknown</c>, <c>rejected</c>, <c>tempfail</c> or <c>over-quota</c>.</param>
/// <param name="Code">The error code for a failure, else null.</param>
/// <param name="Message">The reason in words for a failure, else null.</param>
internal sealed record RecipientResult(string Recipient, string Status, string? Code, string? Message)
{
    /// <summary>Whether the recipient failed for good (no retry will help).</summary>
    public bool IsPermanentFailure => Status is RecipientStatus.Unknown or RecipientStatus.Rejected or RecipientStatus.OverQuota;
}
