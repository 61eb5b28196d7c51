
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>folder.list</c>.</summary>
/// <param name="Folders">Every folder of the account.</param>
public sealed record FolderListReply(IReadOnlyList<FolderDto> Folders) : OkReply;
