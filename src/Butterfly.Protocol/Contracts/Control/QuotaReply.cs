namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>quota.show</c> and <c>quota.set</c> (protocol/control.md, "Quotas").</summary>
/// <param name="Address">The account.</param>
/// <param name="Usage">Bytes its folders refer to.</param>
/// <param name="Quota">The quota in force, in bytes; null for none.</param>
/// <param name="Setting">Where it comes from: <c>default</c>, <c>account</c> or <c>none</c>.</param>
public sealed record QuotaReply(string Address, long Usage, long? Quota, string Setting) : OkReply;
