using System.Globalization;
using System.Security.Cryptography;
using Butterfly.Mime.Internal;

namespace Butterfly.Mime;

/// <summary>
/// Composes RFC 5322 messages from simple fields: CRLF line endings, header lines folded at 78
/// columns, encoded words for non-ASCII header text, RFC 2231 file names, quoted-printable or
/// base64 chosen by content, and unique boundaries. Parsing the output gives the fields back.
/// </summary>
public sealed partial class MessageBuilder
{
    /// <summary>The author.</summary>
    public MailboxAddress? From { get; set; }

    /// <summary>Primary recipients.</summary>
    public IList<MailboxAddress> To { get; } = new List<MailboxAddress>();

    /// <summary>Carbon-copy recipients.</summary>
    public IList<MailboxAddress> Cc { get; } = new List<MailboxAddress>();

    /// <summary>Blind-copy recipients; written to the header only when <see cref="IncludeBcc"/> is true.</summary>
    public IList<MailboxAddress> Bcc { get; } = new List<MailboxAddress>();

    /// <summary>Where replies should go.</summary>
    public IList<MailboxAddress> ReplyTo { get; } = new List<MailboxAddress>();

    /// <summary>The subject (any Unicode).</summary>
    public string? Subject { get; set; }

    /// <summary>The date; the current time when null.</summary>
    public DateTimeOffset? Date { get; set; }

    /// <summary>The Message-ID, with or without angle brackets; a unique one is generated when null.</summary>
    public string? MessageId { get; set; }

    /// <summary>The Message-ID this message replies to.</summary>
    public string? InReplyTo { get; set; }

    /// <summary>The thread's message ids, oldest first.</summary>
    public IList<string> References { get; } = new List<string>();

    /// <summary>The plain-text body.</summary>
    public string? TextBody { get; set; }

    /// <summary>An HTML body (sent as a multipart/alternative with the text body when both are set).</summary>
    public string? HtmlBody { get; set; }

    /// <summary>Files attached after the body (multipart/mixed).</summary>
    public IList<Attachment> Attachments { get; } = new List<Attachment>();

    /// <summary>Whether Bcc recipients are written to the header. Default false.</summary>
    public bool IncludeBcc { get; set; }

    /// <summary>Writes the message.</summary>
    public byte[] ToBytes()
    {
        using var output = new MemoryStream();
        var w = new HeaderWriter(output);
        var date = Date ?? DateTimeOffset.Now;
        w.Simple("Date", FormatDate(date));
        if (From is not null)
        {
            w.Addresses("From", [From]);
        }

        WriteList(w, "Reply-To", ReplyTo);
        WriteList(w, "To", To);
        WriteList(w, "Cc", Cc);
        if (IncludeBcc)
        {
            WriteList(w, "Bcc", Bcc);
        }

        if (Subject is not null)
        {
            w.Unstructured("Subject", Subject);
        }

        w.Simple("Message-ID", Bracket(MessageId) ?? GenerateMessageId(From));
        if (Bracket(InReplyTo) is { } inReplyTo)
        {
            w.Simple("In-Reply-To", inReplyTo);
        }

        if (References.Count > 0)
        {
            w.Begin("References");
            foreach (var r in References)
            {
                if (Bracket(r) is { } id)
                {
                    w.Token(id);
                }
            }

            w.End();
        }

        w.Simple("MIME-Version", "1.0");
        WriteBody(output, w);
        return output.ToArray();
    }

    /// <summary>Formats a date as RFC 5322 wants it: "Mon, 1 Jan 2024 08:01:00 +0000".</summary>
    public static string FormatDate(DateTimeOffset date)
    {
        var offset = date.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return date.ToString("ddd, d MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }

    private static void WriteList(HeaderWriter w, string name, IList<MailboxAddress> list)
    {
        if (list.Count > 0)
        {
            w.Addresses(name, list);
        }
    }

    private static string? Bracket(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        id = HeaderWriter.Sanitize(id).Trim();
        return id.StartsWith('<') ? id : "<" + id + ">";
    }

    private static string GenerateMessageId(MailboxAddress? from)
    {
        var domain = from?.Domain;
        if (string.IsNullOrEmpty(domain))
        {
            domain = "butterfly.invalid";
        }

        return "<" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "@" + domain + ">";
    }

    private static string NewBoundary() => "=_bf_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
