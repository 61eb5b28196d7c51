namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>auth.revoke</c>.</summary>
/// <param name="Revoked">How many tokens were removed.</param>
public sealed record AuthRevokeReply(int Revoked) : OkReply;
