
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>send</c>.</summary>
/// <param name="MessageId">The message's Message-ID.</param>
/// <param name="Sent">Where the sender's copy was filed.</param>
/// <param name="Recipients">Each recipient's status.</param>
/// <param name="DraftRemoved">With <c>draft</c>: whether the draft was still there and is now removed; absent otherwise.</param>
public sealed record SendReply(
    string? MessageId,
    SentCopyDto Sent,
    IReadOnlyList<RecipientStatusDto> Recipients,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] bool? DraftRemoved = null) : OkReply;
