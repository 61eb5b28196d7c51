namespace Butterfly.Client;

/// <summary>The outcome of <c>message.delete</c>.</summary>
/// <param name="Trashed">Messages moved to Trash: old id to id in Trash.</param>
/// <param name="Expunged">Messages removed for good (deleted from Trash).</param>
public sealed record DeleteMessagesResult(IReadOnlyDictionary<long, long> Trashed, IReadOnlyList<long> Expunged);
