namespace Butterfly.Storage;

/// <summary>How much of one kind waits in the queue.</summary>
/// <param name="Count">Entries waiting.</param>
/// <param name="Oldest">When the oldest waiting entry was queued; null when none waits.</param>
public readonly record struct QueueDepth(long Count, DateTimeOffset? Oldest);
