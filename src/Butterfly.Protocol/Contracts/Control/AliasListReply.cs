namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>alias.list</c>.</summary>
/// <param name="Aliases">Every alias, ordered by address.</param>
public sealed record AliasListReply(IReadOnlyList<AliasDto> Aliases) : OkReply;
