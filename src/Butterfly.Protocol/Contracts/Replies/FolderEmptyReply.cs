namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>folder.empty</c>.</summary>
/// <param name="Folder">The folder, as stored.</param>
/// <param name="Expunged">How many messages were removed for good.</param>
public sealed record FolderEmptyReply(string Folder, long Expunged) : OkReply;
