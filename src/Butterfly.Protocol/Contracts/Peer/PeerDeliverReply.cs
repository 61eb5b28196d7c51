
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>peer.deliver</c> (protocol/peer.md).</summary>
/// <param name="Id">The delivery id.</param>
/// <param name="Duplicate">Whether the id was seen before (the first answer is repeated).</param>
/// <param name="Results">Each recipient's result.</param>
public sealed record PeerDeliverReply(string Id, bool Duplicate, IReadOnlyList<PeerRecipientResult> Results) : OkReply;
