
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>send</c>.</summary>
/// <param name="MessageId">The message's Message-ID.</param>
/// <param name="Sent">Where the sender's copy was filed.</param>
/// <param name="Recipients">Each recipient's status.</param>
public sealed record SendReply(string? MessageId, SentCopyDto Sent, IReadOnlyList<RecipientStatusDto> Recipients) : OkReply;
