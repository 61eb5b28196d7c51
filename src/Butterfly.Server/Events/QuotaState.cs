namespace Butterfly.Server.Events;

/// <summary>An account's storage against its quota, for the <c>quota</c> event (<see cref="EventHub.PublishQuota"/>).</summary>
/// <param name="UsedBytes">What the account's folders use.</param>
/// <param name="LimitBytes">The quota; null when the account has none.</param>
/// <param name="Level"><c>ok</c>, <c>warning</c> (at 90%) or <c>exceeded</c>.</param>
internal sealed record QuotaState(long UsedBytes, long? LimitBytes, string Level);
