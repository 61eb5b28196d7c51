namespace Butterfly.Server.Federation;

/// <summary>A dialback key a callback confirmed, kept for resumption (protocol/peer.md, "Caching").</summary>
/// <param name="Key">The confirmed key.</param>
/// <param name="RemoteAddress">The address the peer connected from.</param>
/// <param name="Expires">When the entry stops counting (Environment.TickCount64).</param>
internal sealed record VerifiedKey(string Key, string RemoteAddress, long Expires);
