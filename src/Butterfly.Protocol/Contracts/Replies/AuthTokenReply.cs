namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>auth.token</c> (protocol/websocket.md, "The session token").</summary>
/// <param name="Token">The token: 32 random bytes, base64url without padding. The server keeps only its SHA-256.</param>
/// <param name="Expires">When it stops working.</param>
public sealed record AuthTokenReply(string Token, DateTimeOffset Expires) : OkReply;
