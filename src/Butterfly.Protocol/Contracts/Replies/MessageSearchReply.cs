namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>message.search</c>: one page of matches, newest received first.</summary>
/// <param name="Next">The <c>offset</c> of the next page, or null on the last.</param>
/// <param name="Messages">The matches, each with its folder.</param>
public sealed record MessageSearchReply(long? Next, IReadOnlyList<MessageDto> Messages) : OkReply;
