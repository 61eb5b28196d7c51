namespace Butterfly.Storage;

/// <summary>What changed in a folder after a modification sequence, for clients that resynchronize.</summary>
/// <param name="Folder">Canonical folder name.</param>
/// <param name="ModSeq">The folder's modification sequence now; pass it as <c>sinceModSeq</c> next time.</param>
/// <param name="Changed">Messages added or changed after the given modification sequence, ids ascending.</param>
/// <param name="Expunged">Ids removed from the folder after the given modification sequence, ascending.</param>
public sealed record FolderChanges(string Folder, long ModSeq, IReadOnlyList<MessageItem> Changed, IReadOnlyList<long> Expunged);
