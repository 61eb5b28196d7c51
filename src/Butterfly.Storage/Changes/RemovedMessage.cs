namespace Butterfly.Storage;

/// <summary>A message gone from a folder: expunged, or moved away.</summary>
/// <param name="Folder">The folder it left (its current name).</param>
/// <param name="Id">Its id there.</param>
/// <param name="ModSeq">The account's state the removal made.</param>
/// <param name="MovedTo">For a move, the folder it went to (null when that folder is gone since).</param>
/// <param name="MovedToId">For a move, its id in <paramref name="MovedTo"/>.</param>
public sealed record RemovedMessage(string Folder, long Id, long ModSeq, string? MovedTo, long? MovedToId);
