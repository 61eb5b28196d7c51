namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>alias.add</c> and <c>alias.del</c>.</summary>
/// <param name="Address">The alias.</param>
/// <param name="Accounts">The accounts it delivers (or delivered) to.</param>
public sealed record AliasReply(string Address, IReadOnlyList<string> Accounts) : OkReply;
