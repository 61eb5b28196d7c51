namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>thread.list</c>: a folder's conversations, the one with the newest message first.</summary>
/// <param name="Folder">The folder.</param>
/// <param name="Next">The <c>offset</c> of the next page, or null on the last.</param>
/// <param name="Threads">The page.</param>
public sealed record ThreadListReply(string Folder, long? Next, IReadOnlyList<ThreadDto> Threads) : OkReply;
