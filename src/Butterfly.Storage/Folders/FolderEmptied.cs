namespace Butterfly.Storage;

/// <summary>What emptying a folder did.</summary>
/// <param name="Folder">The folder, as stored.</param>
/// <param name="Expunged">How many messages were removed for good.</param>
public sealed record FolderEmptied(string Folder, long Expunged);
