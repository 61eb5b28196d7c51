namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>message.view</c>: one message prepared for reading (protocol/client.md, "message.view").</summary>
/// <param name="Folder">The folder.</param>
/// <param name="Id">The message's id.</param>
/// <param name="Flags">Its flags.</param>
/// <param name="Size">Its raw size in bytes.</param>
/// <param name="Received">When the server stored it.</param>
/// <param name="From">The From addresses, each as <c>Name &lt;addr&gt;</c> or <c>addr</c>.</param>
/// <param name="To">The To addresses.</param>
/// <param name="Cc">The Cc addresses.</param>
/// <param name="Bcc">The Bcc addresses (only a stored draft or sent copy has them).</param>
/// <param name="ReplyTo">The Reply-To addresses.</param>
/// <param name="Subject">The decoded subject, or empty.</param>
/// <param name="Date">The Date field, or null.</param>
/// <param name="MessageId">The Message-ID, with angle brackets, or null.</param>
/// <param name="InReplyTo">The In-Reply-To id, with angle brackets, or null.</param>
/// <param name="References">The References ids, oldest first.</param>
/// <param name="Text">The plain text (made from the HTML when the message has no text part), or empty.</param>
/// <param name="Html">A sanitized whole HTML document for a sandboxed frame, or null when the message has no HTML.</param>
/// <param name="RemoteImages">How many remote images were left out (0 when they were asked for).</param>
/// <param name="Attachments">The attachments and inline parts besides the shown body.</param>
public sealed record MessageViewReply(
    string Folder,
    long Id,
    IReadOnlyList<string> Flags,
    long Size,
    DateTimeOffset Received,
    IReadOnlyList<string> From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    IReadOnlyList<string> Bcc,
    IReadOnlyList<string> ReplyTo,
    string Subject,
    DateTimeOffset? Date,
    string? MessageId,
    string? InReplyTo,
    IReadOnlyList<string> References,
    string Text,
    string? Html,
    int RemoteImages,
    IReadOnlyList<AttachmentDto> Attachments) : OkReply;
