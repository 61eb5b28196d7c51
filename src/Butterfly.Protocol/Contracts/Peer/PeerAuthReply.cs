
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>peer.auth</c> (protocol/peer.md).</summary>
/// <param name="Peer">The domain the connection now speaks for.</param>
/// <param name="Domain">The receiving domain.</param>
public sealed record PeerAuthReply(string Peer, string Domain) : OkReply;
