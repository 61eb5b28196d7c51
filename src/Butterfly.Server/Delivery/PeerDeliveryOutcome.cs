using Butterfly.Server.Mail;

namespace Butterfly.Server.Delivery;

/// <summary>The answer to a peer's delivery: one result per recipient.</summary>
/// <param name="Results">Per recipient.</param>
/// <param name="Duplicate">True when the delivery id was committed before and this is the recorded answer.</param>
internal sealed record PeerDeliveryOutcome(IReadOnlyList<RecipientResult> Results, bool Duplicate);
