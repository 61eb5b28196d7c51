namespace Butterfly.Mime;

/// <content>Text and attachments.</content>
public sealed partial class MimeMessage
{
    /// <summary>The readable body text (see <see cref="TextExtractor.GetText"/>).</summary>
    public string GetText() => TextExtractor.GetText(this);

    /// <summary>The attachments: file name, media type and decoded size (see <see cref="TextExtractor.GetAttachments"/>).</summary>
    public IReadOnlyList<AttachmentInfo> GetAttachments() => TextExtractor.GetAttachments(this);
}
