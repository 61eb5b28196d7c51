
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>folder.delete</c>.</summary>
/// <param name="Deleted">The folders deleted (with subfolders when recursive).</param>
/// <param name="Messages">How many messages went with them.</param>
public sealed record FolderDeleteReply(IReadOnlyList<string> Deleted, long Messages) : OkReply;
