
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>message.move</c> and <c>message.copy</c>.</summary>
/// <param name="Folder">The target folder.</param>
/// <param name="Ids">Old id to new id.</param>
public sealed record MessageTransferReply(string Folder, IReadOnlyDictionary<long, long> Ids) : OkReply;
