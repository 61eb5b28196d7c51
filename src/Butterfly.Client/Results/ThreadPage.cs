using Butterfly.Protocol.Contracts;

namespace Butterfly.Client;

/// <summary>One page of a <c>thread.list</c> reply: a folder's conversations, the newest first.</summary>
/// <param name="Folder">The folder listed.</param>
/// <param name="Threads">The conversations on this page.</param>
/// <param name="Next">The <c>offset</c> of the next page, or null on the last page.</param>
public sealed record ThreadPage(string Folder, IReadOnlyList<ThreadDto> Threads, long? Next);
