namespace Butterfly.Storage;

/// <summary>What a message deletion did.</summary>
/// <param name="Trashed">Old id to new id in Trash, for messages moved there.</param>
/// <param name="Expunged">Ids removed for good (deletion from Trash).</param>
public sealed record DeleteResult(IReadOnlyDictionary<long, long> Trashed, IReadOnlyList<long> Expunged);
