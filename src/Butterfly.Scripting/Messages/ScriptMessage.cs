using Butterfly.Scripting.Internal;
using MimeKit;

namespace Butterfly.Scripting;

/// <summary>The incoming message as <c>onMessage(message, ctx)</c> sees it; read once, shared by every run.</summary>
/// <remarks>
/// Immutable: one instance may be handed to several runs on several threads. The header fields are read
/// at once; the text, the HTML, the attachments and the header list are worked out on first use (once,
/// under a lock, whichever thread asks first): decoding the body cost more than a pass-through run that
/// never looks at it.
/// </remarks>
public sealed class ScriptMessage
{
    /// <summary>
    /// The deepest MIME nesting parsed: 100, like the server's scanner and Butterfly.Filters. MimeKit keeps
    /// anything deeper as an opaque part, so a hostile message cannot make parsing recurse without bound.
    /// </summary>
    public const int MaxMimeDepth = 100;

    // Shared by every read: MimeKit only reads its options.
    private static readonly ParserOptions Options = new() { MaxMimeDepth = MaxMimeDepth };

    private readonly MimeMessage _mime;
    private readonly Lock _gate = new();
    private (string Text, string? Html)? _body;
    private IReadOnlyList<ScriptAttachment>? _attachments;
    private IReadOnlyList<KeyValuePair<string, string>>? _headers;

    private ScriptMessage(
        MimeMessage mime,
        long size,
        string envelopeSender,
        IReadOnlyList<string> envelopeRecipients)
    {
        var from = mime.From.Mailboxes.FirstOrDefault();
        From = from?.Address ?? "";
        FromName = string.IsNullOrEmpty(from?.Name) ? null : from.Name;
        To = Addresses(mime.To);
        Cc = Addresses(mime.Cc);
        ReplyTo = Addresses(mime.ReplyTo);
        Subject = mime.Subject ?? "";
        Date = mime.Headers.Contains(HeaderId.Date) ? mime.Date : null;
        MessageId = string.IsNullOrEmpty(mime.MessageId) ? null : mime.MessageId;
        References = [.. mime.References];
        _mime = mime;
        Size = size;
        EnvelopeFrom = envelopeSender;
        EnvelopeTo = [.. envelopeRecipients];
    }

    /// <summary>The first From address (<c>local@domain</c>), or empty.</summary>
    public string From { get; }

    /// <summary>The display name of the first From address, or null.</summary>
    public string? FromName { get; }

    /// <summary>The To addresses.</summary>
    public IReadOnlyList<string> To { get; }

    /// <summary>The Cc addresses.</summary>
    public IReadOnlyList<string> Cc { get; }

    /// <summary>The Reply-To addresses (where <c>ctx.reply</c> goes when there are any).</summary>
    public IReadOnlyList<string> ReplyTo { get; }

    /// <summary>The subject, decoded; empty when absent.</summary>
    public string Subject { get; }

    /// <summary>The Date field, or null when absent.</summary>
    public DateTimeOffset? Date { get; }

    /// <summary>The Message-ID without angle brackets, or null.</summary>
    public string? MessageId { get; }

    /// <summary>The References chain, without angle brackets.</summary>
    public IReadOnlyList<string> References { get; }

    /// <summary>The text body: the text/plain part, else the HTML part rendered as text, else empty.</summary>
    public string Text => Body.Text;

    /// <summary>The HTML part rendered as text, or null when there is none.</summary>
    public string? Html => Body.Html;

    /// <summary>The attachments' names, types and sizes.</summary>
    public IReadOnlyList<ScriptAttachment> Attachments
    {
        get
        {
            lock (_gate)
            {
                return _attachments ??= [.. _mime.Attachments.OfType<MimePart>().Select(part => new ScriptAttachment(
                    part.FileName,
                    part.ContentType.MimeType.ToLowerInvariant(),
                    DecodedSize(part)))];
            }
        }
    }

    /// <summary>Every header field in order, values unfolded and decoded.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers
    {
        get
        {
            lock (_gate)
            {
                return _headers ??= [.. _mime.Headers.Select(header => new KeyValuePair<string, string>(header.Field, header.Value.Trim()))];
            }
        }
    }

    /// <summary>The raw message's size in bytes.</summary>
    public long Size { get; }

    /// <summary>The envelope sender (empty for a bounce).</summary>
    public string EnvelopeFrom { get; }

    /// <summary>The envelope recipients.</summary>
    public IReadOnlyList<string> EnvelopeTo { get; }

    /// <summary>Parses <paramref name="raw"/> with MimeKit.</summary>
    public static ScriptMessage Read(ReadOnlySpan<byte> raw, string envelopeSender, IReadOnlyList<string> envelopeRecipients)
    {
        using var stream = new MemoryStream(raw.ToArray(), writable: false);
        return Read(stream, envelopeSender, envelopeRecipients);
    }

    /// <summary>Parses <paramref name="raw"/> with MimeKit, over the array itself (not copied first, never changed).</summary>
    public static ScriptMessage Read(byte[] raw, string envelopeSender, IReadOnlyList<string> envelopeRecipients)
    {
        ArgumentNullException.ThrowIfNull(raw);
        using var stream = new MemoryStream(raw, writable: false);
        return Read(stream, envelopeSender, envelopeRecipients);
    }

    /// <summary>Parses the message in <paramref name="raw"/> (read to its end) with MimeKit.</summary>
    /// <exception cref="FormatException">The bytes are not a message at all (MimeKit's parser gave up; e.g. empty input).</exception>
    public static ScriptMessage Read(Stream raw, string envelopeSender, IReadOnlyList<string> envelopeRecipients)
    {
        var counting = new CountingStream(raw);
        var mime = MimeMessage.Load(Options, counting);
        // MimeKit may stop before the end (trailing data after the last boundary): the size is the whole input.
        counting.CopyTo(Stream.Null);
        return new ScriptMessage(mime, counting.BytesRead, envelopeSender, envelopeRecipients);
    }

    /// <summary>The value of the first header field named <paramref name="name"/> (any case), or null.</summary>
    public string? Header(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>The values of every header field named <paramref name="name"/> (any case), in order.</summary>
    public IReadOnlyList<string> HeaderValues(string name) =>
        [.. Headers.Where(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)).Select(header => header.Value)];

    // MimeKit's objects are not thread-safe to read: every lazy value is worked out under the message's lock.
    private (string Text, string? Html) Body
    {
        get
        {
            lock (_gate)
            {
                if (_body is null)
                {
                    var html = _mime.HtmlBody;
                    var rendered = html is null ? null : HtmlText.Render(html);
                    _body = (_mime.TextBody ?? rendered ?? "", rendered);
                }

                return _body.Value;
            }
        }
    }

    private static string[] Addresses(InternetAddressList list) => [.. list.Mailboxes.Select(mailbox => mailbox.Address)];

    private static long DecodedSize(MimePart part)
    {
        if (part.Content is null)
        {
            return 0;
        }

        using var counter = new CountingStream(Stream.Null);
        part.Content.DecodeTo(counter);
        return counter.BytesWritten;
    }
}
