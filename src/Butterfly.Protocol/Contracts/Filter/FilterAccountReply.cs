
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>filter.account</c>.</summary>
/// <param name="Exists">Whether the address is an account here.</param>
public sealed record FilterAccountReply(bool Exists) : OkReply;
