namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>thread.get</c>: the conversation, oldest first, across folders.</summary>
/// <param name="Messages">Its messages, each with its folder.</param>
public sealed record ThreadGetReply(IReadOnlyList<MessageDto> Messages) : OkReply;
