namespace Butterfly.Storage;

/// <summary>What an import did with one message.</summary>
/// <param name="Folder">The folder, as stored.</param>
/// <param name="Id">The message's id: the new copy, or the copy already there.</param>
/// <param name="Duplicate">True when the folder held the same bytes already and nothing was stored.</param>
public sealed record ImportedCopy(string Folder, long Id, bool Duplicate);
