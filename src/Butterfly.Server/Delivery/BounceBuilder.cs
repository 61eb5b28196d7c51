using System.Globalization;
using System.Text;
using Butterfly.Server.Mail;
using MimeKit;
using MimeKit.Utils;
using Scanned = Butterfly.Mime.MimeMessage;

namespace Butterfly.Server.Delivery;

/// <summary>
/// Composes the delivery status notices the server writes to a sender, with MimeKit: a bounce
/// (delivery failed for good) or a delay notice (still trying). Each is an RFC 3464 report,
/// <c>multipart/report; report-type=delivery-status</c> (RFC 6522), of three parts: readable text
/// naming each recipient and the reason, the machine-readable <c>message/delivery-status</c>, and
/// the original message's header block as <c>text/rfc822-headers</c>. It carries
/// <c>Auto-Submitted: auto-replied</c> so that well-behaved software does not answer it (RFC 3834).
/// </summary>
internal static class BounceBuilder
{
    /// <summary>The display name of the notice's author, mailer-daemon at the server's name.</summary>
    public const string AuthorName = "Mail Delivery System";

    /// <summary>The largest original header block attached; a longer one is cut at a line end.</summary>
    public const int MaxAttachedHeaderBytes = 64 * 1024;

    /// <summary>The diagnostic type of our error codes in Diagnostic-Code (RFC 3464 §2.3.6: "X-" for an unregistered type).</summary>
    public const string DiagnosticType = "X-Butterfly";

    /// <summary>Composes the notice <paramref name="report"/> describes.</summary>
    /// <param name="serverName">This server's name: the author is mailer-daemon at it, and it is the Reporting-MTA.</param>
    /// <param name="report">What to report, and to whom.</param>
    /// <param name="now">The time of writing (the Date, and each recipient's Last-Attempt-Date).</param>
    public static byte[] Compose(string serverName, DeliveryReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        // Only the header block is read: the body may be large, and need not be well-formed. The
        // empty line goes with it, so the scanner sees where the fields end.
        _ = Scanned.TryParse((byte[])[.. HeaderBlock(report.Original).Span, .. "\r\n"u8], out var original);
        var subject = original?.Subject is { } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;
        var originalId = original?.MessageId;
        var failed = report.Action == ReportAction.Failed;

        using var message = MessageWriter.NewMessage();
        message.From.Add(new MailboxAddress(AuthorName, "mailer-daemon@" + serverName));
        message.To.Add(MailboxAddress.Parse(report.Sender));
        message.Subject = (failed ? "Undelivered mail: " : "Delivery delayed: ") + (subject ?? "(no subject)");
        message.Date = now.ToUniversalTime();
        message.MessageId = MimeUtils.GenerateMessageId(serverName);
        if (originalId is not null)
        {
            message.InReplyTo = originalId;
            message.References.Add(originalId);
        }

        message.Headers.Add("Auto-Submitted", "auto-replied");
        var body = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = Text(serverName, report, subject, originalId) },
            Status(serverName, report, now),
        };
        if (Headers(original) is { } headers)
        {
            body.Add(headers);
        }

        message.Body = body;
        return MessageWriter.ToBytes(message);
    }

    /// <summary>The header block of <paramref name="message"/> (up to and without the empty line), at most <see cref="MaxAttachedHeaderBytes"/>.</summary>
    /// <param name="message">A message.</param>
    public static ReadOnlyMemory<byte> HeaderBlock(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        var limit = Math.Min(span.Length, MaxAttachedHeaderBytes);
        var end = limit;
        for (var i = 0; i < limit; i++)
        {
            // An empty line ends the header block: "\n\n" or "\n\r\n".
            if (span[i] == (byte)'\n' && i + 1 < span.Length && (span[i + 1] == (byte)'\n' || (span[i + 1] == (byte)'\r' && i + 2 < span.Length && span[i + 2] == (byte)'\n')))
            {
                return message[..(i + 1)];
            }
        }

        if (limit < span.Length)
        {
            // Cut at the last line end inside the limit, so no field is attached half.
            var lastLine = span[..limit].LastIndexOf((byte)'\n');
            end = lastLine < 0 ? 0 : lastLine + 1;
        }

        return message[..end];
    }

    private static string Text(string serverName, DeliveryReport report, string? subject, string? originalId)
    {
        var text = new StringBuilder();
        text.Append("This is the mail system at ").Append(serverName).Append(".\n\n");
        var count = report.Recipients.Count == 1 ? "one recipient" : report.Recipients.Count.ToString(CultureInfo.InvariantCulture) + " recipients";
        if (report.Action == ReportAction.Failed)
        {
            text.Append("Your message could not be delivered to ").Append(count).Append(". The mail system gave up; it will not try again.\n\n");
        }
        else
        {
            text.Append("Your message, queued ").Append(DateUtils.FormatDate(report.Arrival.ToUniversalTime()))
                .Append(", has not been delivered yet to ").Append(count).Append(" below. This is only a warning:\n")
                .Append("you do not need to send it again.");
            if (report.RetryUntil is { } until)
            {
                text.Append(" The mail system keeps trying until ").Append(DateUtils.FormatDate(until.ToUniversalTime())).Append('.');
            }

            text.Append("\n\n");
        }

        foreach (var recipient in report.Recipients)
        {
            text.Append("  <").Append(recipient.Recipient).Append(">: ").Append(recipient.Describe()).Append('\n');
        }

        text.Append("\nThe original message");
        if (subject is not null)
        {
            text.Append(", \"").Append(subject).Append('"');
        }

        if (originalId is not null)
        {
            text.Append(' ').Append(originalId);
        }

        return text.Append(", is described by the header fields attached.\n").ToString();
    }

    /// <summary>The message/delivery-status part: per-message fields, then one group per recipient (RFC 3464 §2.2, §2.3).</summary>
    private static MessageDeliveryStatus Status(string serverName, DeliveryReport report, DateTimeOffset now)
    {
        var status = new MessageDeliveryStatus();
        status.StatusGroups.Add(new HeaderList
        {
            { "Reporting-MTA", "dns; " + serverName },
            { "Arrival-Date", DateUtils.FormatDate(report.Arrival.ToUniversalTime()) },
        });
        foreach (var recipient in report.Recipients)
        {
            var group = new HeaderList
            {
                { "Final-Recipient", "rfc822; " + Ascii(recipient.Recipient) },
                { "Action", report.Action == ReportAction.Failed ? "failed" : "delayed" },
                { "Status", DeliveryStatusCodes.For(recipient) },
            };
            if (recipient.RemoteMta is { } remote)
            {
                group.Add("Remote-MTA", "dns; " + Ascii(remote));
            }

            group.Add("Diagnostic-Code", DiagnosticType + "; " + Ascii(recipient.Describe()));
            group.Add("Last-Attempt-Date", DateUtils.FormatDate(now.ToUniversalTime()));
            if (report.Action == ReportAction.Delayed && report.RetryUntil is { } until)
            {
                group.Add("Will-Retry-Until", DateUtils.FormatDate(until.ToUniversalTime()));
            }

            status.StatusGroups.Add(group);
        }

        return status;
    }

    /// <summary>
    /// The original's header fields as a text/rfc822-headers part: the fields the scanner found,
    /// each byte for byte (a stray line without a colon, or a byte-order mark, is left out).
    /// </summary>
    private static TextRfc822Headers? Headers(Scanned? original)
    {
        if (original is null || original.Headers.Count == 0)
        {
            return null;
        }

        using var block = new MemoryStream();
        var eightBit = false;
        foreach (var header in original.Headers)
        {
            var field = header.RawField.Span;
            eightBit |= !System.Text.Ascii.IsValid(field);
            block.Write(field);
            block.Write("\r\n"u8);
        }

        block.Position = 0;
        MimeMessage fields;
        try
        {
            fields = MimeMessage.Load(block);
        }
        catch (FormatException)
        {
            // Fields MimeKit will not read are not worth failing the notice for: it goes without them.
            return null;
        }

        var part = new TextRfc822Headers { Message = fields };
        if (eightBit)
        {
            // UTF-8 in header fields (RFC 6532) is carried as it is.
            part.Headers.Add("Content-Transfer-Encoding", "8bit");
        }

        return part;
    }

    /// <summary>DSN fields are ASCII text on one line: anything else becomes '?'.</summary>
    private static string Ascii(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= ' ' and <= '~' ? c : '?';
            }
        });
}
