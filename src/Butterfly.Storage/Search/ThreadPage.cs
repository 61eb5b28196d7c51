namespace Butterfly.Storage;

/// <summary>One page of a folder's conversations, the one with the newest message first.</summary>
/// <param name="Folder">Canonical folder name.</param>
/// <param name="Threads">The conversations of this page.</param>
/// <param name="Next">The offset of the next page, or null on the last.</param>
public sealed record ThreadPage(string Folder, IReadOnlyList<ThreadSummary> Threads, long? Next);
