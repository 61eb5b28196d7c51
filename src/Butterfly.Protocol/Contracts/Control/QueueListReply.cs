
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>queue.list</c>.</summary>
/// <param name="Entries">Every queued and held message.</param>
public sealed record QueueListReply(IReadOnlyList<QueueEntryDto> Entries) : OkReply;
