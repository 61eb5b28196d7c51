using Butterfly.Mime;
using Butterfly.Storage;

namespace Butterfly.Server.Mail;

/// <summary>What of a parsed message goes into the search index and decides its thread (Storage's Search/).</summary>
internal static class SearchText
{
    /// <summary>Body text beyond this many characters is not indexed: it bounds the index and the delivery's CPU.</summary>
    public const int MaxBodyChars = 256 * 1024;

    /// <summary>The body text (bounded), the attachments' names and the thread header fields of <paramref name="message"/>.</summary>
    public static ContentText Extract(MimeMessage message)
    {
        if (message.Body is { IsMultipart: false, ContentType.MediaType: "text", ContentType.MediaSubtype: "plain" } single)
        {
            // Most mail is one text/plain part: its decoded text as is, without the extractor's builder and
            // its copy (TextExtractor gives the same string, and never counts the root text part as an attachment).
            var text = single.GetText();
            return new ContentText(text.Length > MaxBodyChars ? text[..MaxBodyChars] : text, [], message.InReplyTo, message.References);
        }

        var attachments = TextExtractor.GetAttachments(message);
        var names = attachments.Count == 0 ? [] : attachments.Select(a => a.FileName ?? string.Empty).ToArray();
        return new ContentText(TextExtractor.GetText(message, MaxBodyChars), names, message.InReplyTo, message.References);
    }

    /// <summary>The same for raw bytes read back from the store; a message that does not parse gives no text.</summary>
    public static ContentText Extract(ReadOnlyMemory<byte> raw, ParserOptions options)
        => MimeMessage.TryParse(raw, options, out var message) == MimeError.None && message is not null ? Extract(message) : ContentText.Empty;
}
