namespace Butterfly.Storage;

/// <summary>A folder created, renamed or deleted.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Name">The folder's name after the change (for a deletion, the name it had).</param>
/// <param name="OldName">For a rename, the name before; otherwise null.</param>
/// <param name="ModSeq">The account's state the change made.</param>
public sealed record FolderChange(FolderChangeKind Kind, string Name, string? OldName, long ModSeq);
