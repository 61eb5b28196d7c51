namespace Butterfly.Client;

/// <summary>The outcome of <c>folder.delete</c>.</summary>
/// <param name="Deleted">The folders removed (the folder and, when recursive, its subfolders).</param>
/// <param name="Messages">How many messages were removed for good.</param>
public sealed record FolderDeleteResult(IReadOnlyList<string> Deleted, long Messages);
