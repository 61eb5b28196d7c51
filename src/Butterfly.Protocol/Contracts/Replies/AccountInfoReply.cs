namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>account</c> (protocol/client.md, "account").</summary>
/// <param name="Address">The logged-in account's address.</param>
/// <param name="Aliases">The aliases that deliver to it (catch-alls as <c>@domain</c>).</param>
/// <param name="Lists">The lists it owns.</param>
/// <param name="Usage">Bytes its folders refer to.</param>
/// <param name="Quota">Its quota in bytes; null for none.</param>
public sealed record AccountInfoReply(string Address, IReadOnlyList<string> Aliases, IReadOnlyList<string> Lists, long Usage, long? Quota) : OkReply;
