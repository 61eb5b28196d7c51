namespace Butterfly.Storage;

/// <summary>What happened to a folder (the values are stored in <c>folder_changes.kind</c>).</summary>
public enum FolderChangeKind
{
    /// <summary>The folder was created (by itself or as the parent of another).</summary>
    Created = 1,

    /// <summary>The folder was renamed or moved under another parent.</summary>
    Renamed = 2,

    /// <summary>The folder was deleted with whatever it held.</summary>
    Deleted = 3,
}
