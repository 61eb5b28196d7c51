
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>peer.verify</c> (protocol/peer.md, "Dialback").</summary>
/// <param name="Valid">Whether the key is one this server issued.</param>
public sealed record PeerVerifyReply(bool Valid) : OkReply;
