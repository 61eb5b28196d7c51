
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>queue.retry</c>.</summary>
/// <param name="Retried">Entries made due now.</param>
public sealed record QueueRetryReply(int Retried) : OkReply;
