using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using MimeKit;

namespace Butterfly.Server.Mail;

/// <summary>
/// One message prepared for a reader (protocol/client.md, "message.view"), read with MimeKit: the fields people
/// read, the plain text, the sanitized HTML document and the other parts as attachments.
/// </summary>
internal sealed class MessageReading
{
    // A cid: image larger than this stays out of the document (it is still listed as an attachment).
    private const long MaxInlineImageBytes = 2 << 20;

    private static readonly string[] _blockTags = ["p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr"];

    private MessageReading()
    {
    }

    /// <summary>From, as <see cref="Addresses"/> writes them.</summary>
    public List<string> From { get; private set; } = [];

    /// <summary>To.</summary>
    public List<string> To { get; private set; } = [];

    /// <summary>Cc.</summary>
    public List<string> Cc { get; private set; } = [];

    /// <summary>Bcc (a draft's or a sent copy's).</summary>
    public List<string> Bcc { get; private set; } = [];

    /// <summary>Reply-To.</summary>
    public List<string> ReplyTo { get; private set; } = [];

    /// <summary>The decoded subject, or empty.</summary>
    public string Subject { get; private set; } = string.Empty;

    /// <summary>The Date field, or null.</summary>
    public DateTimeOffset? Date { get; private set; }

    /// <summary>The Message-ID with brackets, or null.</summary>
    public string? MessageId { get; private set; }

    /// <summary>The In-Reply-To id with brackets, or null.</summary>
    public string? InReplyTo { get; private set; }

    /// <summary>The References ids with brackets.</summary>
    public List<string> References { get; private set; } = [];

    /// <summary>The plain text, or empty.</summary>
    public string Text { get; private set; } = string.Empty;

    /// <summary>The sanitized document, or null when the message has no HTML.</summary>
    public string? Html { get; private set; }

    /// <summary>Remote images left out of <see cref="Html"/>.</summary>
    public int BlockedImages { get; private set; }

    /// <summary>The other leaves: id, name, media type, decoded size.</summary>
    public List<(string Id, string Name, string Type, long Size)> Attachments { get; } = [];

    /// <summary>Reads <paramref name="raw"/>.</summary>
    /// <param name="raw">The stored message.</param>
    /// <param name="remoteImages">Keep remote images in the HTML.</param>
    public static MessageReading Read(ReadOnlyMemory<byte> raw, bool remoteImages)
    {
        using var stream = new MemoryStream(raw.ToArray(), writable: false);
        using var message = MimeMessage.Load(stream);
        var reading = new MessageReading
        {
            From = Addresses(message.From),
            To = Addresses(message.To),
            Cc = Addresses(message.Cc),
            Bcc = Addresses(message.Bcc),
            ReplyTo = Addresses(message.ReplyTo),
            Subject = message.Subject ?? string.Empty,
            Date = message.Headers.Contains(HeaderId.Date) && message.Date != DateTimeOffset.MinValue ? message.Date : null,
            MessageId = Bracketed(message.MessageId),
            InReplyTo = Bracketed(message.InReplyTo),
            References = message.References.Select(r => $"<{r}>").ToList(),
        };
        reading.Prepare(message, remoteImages);
        return reading;
    }

    /// <summary>Reads <paramref name="raw"/> and finds the leaf <paramref name="id"/>; null when there is none.</summary>
    /// <param name="raw">The stored message.</param>
    /// <param name="id">A part id from <see cref="Attachments"/>.</param>
    public static (string Name, string Type, byte[] Bytes)? Part(ReadOnlyMemory<byte> raw, string id)
    {
        using var stream = new MemoryStream(raw.ToArray(), writable: false);
        using var message = MimeMessage.Load(stream);
        foreach (var (leafId, part) in MessageParts.Leaves(message))
        {
            if (leafId == id)
            {
                return (MessageParts.FileName(part, leafId), MessageParts.MediaType(part), MessageParts.Decoded(part));
            }
        }

        return null;
    }

    /// <summary>Addresses as <c>send</c> takes them: <c>Name &lt;addr&gt;</c> (quoted where needed) or <c>addr</c>.</summary>
    /// <param name="list">An address field.</param>
    public static List<string> Addresses(InternetAddressList list) =>
        list.Mailboxes.Select(m => string.IsNullOrEmpty(m.Name) ? m.Address : $"{DisplayName(m.Name)} <{m.Address}>").ToList();

    // A name with a character that means something in an address field is quoted (RFC 5322 "specials").
    private static string DisplayName(string name) =>
        name.AsSpan().IndexOfAny("()<>[]:;@\\,.\"") < 0 ? name : MimeKit.Utils.MimeUtils.Quote(name);

    /// <summary>A message id with its angle brackets, or null.</summary>
    /// <param name="id">The id as MimeKit gives it (without brackets).</param>
    public static string? Bracketed(string? id) => string.IsNullOrWhiteSpace(id) ? null : $"<{id}>";

    private void Prepare(MimeMessage message, bool remoteImages)
    {
        var leaves = MessageParts.Leaves(message);
        var text = leaves.Select(l => l.Part).OfType<TextPart>().FirstOrDefault(p => p.IsPlain && !p.IsAttachment);
        var html = leaves.Select(l => l.Part).OfType<TextPart>().FirstOrDefault(p => p.IsHtml && !p.IsAttachment);
        if (html is not null)
        {
            var (document, blocked) = HtmlMailSanitizer.Sanitize(html.Text ?? string.Empty, remoteImages, contentId => InlineImage(leaves, contentId));
            Html = document;
            BlockedImages = blocked;
        }

        Text = text?.Text ?? (Html is null ? string.Empty : TextOf(Html));
        foreach (var (id, part) in leaves)
        {
            if (ReferenceEquals(part, text) || ReferenceEquals(part, html))
            {
                continue;
            }

            Attachments.Add((id, MessageParts.FileName(part, id), MessageParts.MediaType(part), MessageParts.Decoded(part).LongLength));
        }
    }

    // cid: references of the HTML, as data: URIs of the message's own image parts.
    private static string? InlineImage(List<(string Id, MimeEntity Part)> leaves, string contentId)
    {
        var wanted = contentId.Trim('<', '>');
        var part = leaves.Select(l => l.Part).OfType<MimePart>()
            .FirstOrDefault(p => p.ContentId is { } cid && string.Equals(cid.Trim('<', '>'), wanted, StringComparison.Ordinal));
        if (part is null || !part.ContentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase) || part.ContentType.MimeType.Contains("svg", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var bytes = MessageParts.Decoded(part);
        return bytes.Length > MaxInlineImageBytes ? null : $"data:{MessageParts.MediaType(part)};base64,{Convert.ToBase64String(bytes)}";
    }

    // The text of a message that has only HTML: block elements end lines.
    private static string TextOf(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var text = new StringBuilder();
        Append(document.Body, text);
        return text.ToString().Trim();
    }

    private static void Append(INode? node, StringBuilder text)
    {
        if (node is null)
        {
            return;
        }

        foreach (var child in node.ChildNodes)
        {
            if (child is IText t)
            {
                text.Append(t.Data);
            }
            else if (child is IElement element && element.LocalName is not ("style" or "script" or "title"))
            {
                Append(element, text);
                if (Array.IndexOf(_blockTags, element.LocalName) >= 0)
                {
                    text.Append('\n');
                }
            }
        }
    }
}
