
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>folder.create</c> and <c>folder.rename</c>.</summary>
/// <param name="Folder">The folder's name as stored.</param>
public sealed record FolderReply(string Folder) : OkReply;
