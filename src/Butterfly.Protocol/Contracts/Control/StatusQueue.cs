namespace Butterfly.Protocol.Contracts;

/// <summary>Queued messages in a <see cref="StatusReply"/>.</summary>
/// <param name="Outbound">Waiting for another server.</param>
/// <param name="Inbound">Held for a filter.</param>
/// <param name="Oldest">When the oldest entry was queued (UTC, ISO 8601), or null.</param>
public sealed record StatusQueue(int Outbound, int Inbound, string? Oldest);
