
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>message.list</c>: one page, newest first.</summary>
/// <param name="Folder">The folder.</param>
/// <param name="Total">Messages in the folder.</param>
/// <param name="Next">The <c>before</c> of the next page, or null on the last.</param>
/// <param name="Messages">The page.</param>
public sealed record MessageListReply(string Folder, long Total, long? Next, IReadOnlyList<MessageDto> Messages) : OkReply;
