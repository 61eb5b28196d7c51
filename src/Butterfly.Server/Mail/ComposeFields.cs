namespace Butterfly.Server.Mail;

/// <summary>What a client asks the server to compose (protocol/client.md, "send" with simple fields, and "draft.save").</summary>
/// <param name="To">To entries: an address, optionally with a display name.</param>
/// <param name="Cc">Cc entries.</param>
/// <param name="Bcc">Bcc entries (envelope only when sent; kept in a draft).</param>
/// <param name="Subject">The subject, or empty.</param>
/// <param name="Text">The text, as text/plain.</param>
internal sealed record ComposeFields(IReadOnlyList<string> To, IReadOnlyList<string> Cc, IReadOnlyList<string> Bcc, string Subject, string Text)
{
    /// <summary>The Message-ID replied to, with or without brackets; null when not a reply.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The References ids.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>Attached files, in order.</summary>
    public IReadOnlyList<ComposeAttachment> Attachments { get; init; } = [];
}
