
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>message.delete</c>.</summary>
/// <param name="Trashed">Old id to new id in Trash.</param>
/// <param name="Expunged">Ids removed for good (deleted from Trash).</param>
public sealed record MessageDeleteReply(IReadOnlyDictionary<long, long> Trashed, IReadOnlyList<long> Expunged) : OkReply;
