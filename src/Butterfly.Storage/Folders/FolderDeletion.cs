namespace Butterfly.Storage;

/// <summary>What a folder deletion removed.</summary>
/// <param name="Folders">Names of the folders removed.</param>
/// <param name="Messages">Number of messages removed with them.</param>
public sealed record FolderDeletion(IReadOnlyList<string> Folders, long Messages);
