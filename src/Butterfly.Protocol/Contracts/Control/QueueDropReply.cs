
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>queue.drop</c>.</summary>
/// <param name="Dropped">The id of the entry removed.</param>
public sealed record QueueDropReply(long Dropped) : OkReply;
