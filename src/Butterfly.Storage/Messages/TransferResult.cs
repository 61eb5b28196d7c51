namespace Butterfly.Storage;

/// <summary>Where a move or copy put the messages.</summary>
/// <param name="Folder">The target folder's canonical name.</param>
/// <param name="Ids">Each old id and its id in the target folder (the same id for a move within one folder).</param>
public sealed record TransferResult(string Folder, IReadOnlyDictionary<long, long> Ids);
