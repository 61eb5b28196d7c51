namespace Butterfly.Mime;

/// <content>Text and attachments.</content>
public sealed partial class MimeMessage
{
    /// <summary>The readable body text (see <see cref="TextExtractor.GetText(MimeMessage)"/>).</summary>
    public string GetText() => TextExtractor.GetText(this);

    /// <summary>The readable body text, at most <paramref name="maxLength"/> characters.</summary>
    public string GetText(int maxLength) => TextExtractor.GetText(this, maxLength);

    /// <summary>The attachments: file name, media type and decoded size (see <see cref="TextExtractor.GetAttachments"/>).</summary>
    public IReadOnlyList<AttachmentInfo> GetAttachments() => TextExtractor.GetAttachments(this);
}
