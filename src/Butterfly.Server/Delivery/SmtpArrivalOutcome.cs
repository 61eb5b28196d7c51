using Butterfly.Server.Mail;

namespace Butterfly.Server.Delivery;

/// <summary>What became of an <see cref="SmtpArrival"/>: committed (250), or refused whole, for now or for good.</summary>
/// <param name="Committed">Whether the message was durably committed (copies, holds, queue entries, bounces for recipients refused after RCPT).</param>
/// <param name="Refusal">When not committed: the first recipient's failure, which the gateway turns into the reply.</param>
internal sealed record SmtpArrivalOutcome(bool Committed, RecipientResult? Refusal)
{
    /// <summary>The message is the server's now.</summary>
    public static SmtpArrivalOutcome Accepted { get; } = new(true, null);
}
