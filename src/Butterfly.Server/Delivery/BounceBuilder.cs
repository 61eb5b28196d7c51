using System.Globalization;
using System.Text;
using Butterfly.Mime;

namespace Butterfly.Server.Delivery;

/// <summary>
/// Composes the messages the outbound queue writes to a sender: a bounce (delivery failed for good)
/// and a delay notice (still trying). Both are readable text naming each recipient and the reason,
/// with the original message's header block attached as <c>text/rfc822-headers</c> (RFC 6522 §4's
/// part, without the machine-readable report), and <c>Auto-Submitted: auto-replied</c> so that
/// well-behaved software does not answer them (RFC 3834).
/// </summary>
internal static class BounceBuilder
{
    /// <summary>The display name of the bounce author.</summary>
    public const string AuthorName = "Mail Delivery System";

    /// <summary>The largest original header block attached; a longer one is cut at a line end.</summary>
    public const int MaxAttachedHeaderBytes = 64 * 1024;

    /// <summary>Composes a bounce.</summary>
    /// <param name="serverName">This server's name (the author is mailer-daemon@ it).</param>
    /// <param name="sender">The original envelope sender, who receives the bounce.</param>
    /// <param name="failed">Each recipient that failed and why.</param>
    /// <param name="original">The original message.</param>
    /// <param name="now">The time of writing.</param>
    public static byte[] Bounce(string serverName, string sender, IReadOnlyList<FailedRecipient> failed, ReadOnlyMemory<byte> original, DateTimeOffset now)
    {
        var (subject, messageId) = Describe(original);
        var text = new StringBuilder();
        text.Append("This is the mail system at ").Append(serverName).Append(".\n\n");
        text.Append("Your message could not be delivered to ")
            .Append(failed.Count == 1 ? "one recipient" : failed.Count.ToString(CultureInfo.InvariantCulture) + " recipients")
            .Append(". The mail system gave up; it will not try again.\n\n");
        foreach (var recipient in failed)
        {
            text.Append("  <").Append(recipient.Recipient).Append(">: ").Append(recipient.Describe()).Append('\n');
        }

        AppendOriginal(text, subject, messageId);
        return Compose(serverName, sender, "Undelivered mail: " + (subject ?? "(no subject)"), text.ToString(), original, now, messageId);
    }

    /// <summary>Composes a delay notice.</summary>
    /// <param name="serverName">This server's name.</param>
    /// <param name="sender">The original envelope sender.</param>
    /// <param name="pending">Each recipient still waiting and the last error.</param>
    /// <param name="queued">When the message was queued.</param>
    /// <param name="giveUp">When the queue gives up.</param>
    /// <param name="original">The original message.</param>
    /// <param name="now">The time of writing.</param>
    public static byte[] DelayNotice(
        string serverName,
        string sender,
        IReadOnlyList<FailedRecipient> pending,
        DateTimeOffset queued,
        DateTimeOffset giveUp,
        ReadOnlyMemory<byte> original,
        DateTimeOffset now)
    {
        var (subject, messageId) = Describe(original);
        var text = new StringBuilder();
        text.Append("This is the mail system at ").Append(serverName).Append(".\n\n");
        text.Append("Your message, queued ").Append(MessageBuilder.FormatDate(queued.ToUniversalTime()))
            .Append(", has not been delivered yet to the recipients below. This is only a warning:\n")
            .Append("you do not need to send it again. The mail system keeps trying until ")
            .Append(MessageBuilder.FormatDate(giveUp.ToUniversalTime())).Append(".\n\n");
        foreach (var recipient in pending)
        {
            text.Append("  <").Append(recipient.Recipient).Append(">: ").Append(recipient.Describe()).Append('\n');
        }

        AppendOriginal(text, subject, messageId);
        return Compose(serverName, sender, "Delivery delayed: " + (subject ?? "(no subject)"), text.ToString(), original, now, messageId);
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

    private static void AppendOriginal(StringBuilder text, string? subject, string? messageId)
    {
        text.Append("\nThe original message");
        if (subject is not null)
        {
            text.Append(", \"").Append(subject).Append('"');
        }

        if (messageId is not null)
        {
            text.Append(' ').Append(messageId);
        }

        text.Append(", is described by the header fields attached.\n");
    }

    private static byte[] Compose(string serverName, string sender, string subject, string text, ReadOnlyMemory<byte> original, DateTimeOffset now, string? originalId)
    {
        var builder = new MessageBuilder
        {
            From = new MailboxAddress(AuthorName, "mailer-daemon@" + serverName),
            Subject = subject,
            Date = now.ToUniversalTime(),
            TextBody = text,
            InReplyTo = originalId,
        };
        builder.To.Add(new MailboxAddress(null, sender));
        if (originalId is not null)
        {
            builder.References.Add(originalId);
        }

        builder.Attachments.Add(new Attachment("original-headers.txt", "text/rfc822-headers", HeaderBlock(original)));
        var body = builder.ToBytes();

        // MessageBuilder has no free-form fields; Auto-Submitted (RFC 3834 §5) goes first.
        var marker = "Auto-Submitted: auto-replied\r\n"u8;
        var result = new byte[marker.Length + body.Length];
        marker.CopyTo(result);
        body.CopyTo(result.AsSpan(marker.Length));
        return result;
    }

    private static (string? Subject, string? MessageId) Describe(ReadOnlyMemory<byte> original)
    {
        // Only the header block is parsed: the body may be large, and need not be well-formed.
        var error = MimeMessage.TryParse(HeaderBlock(original), out var parsed);
        if (error != MimeError.None || parsed is null)
        {
            return (null, null);
        }

        var subject = parsed.Subject;
        return (string.IsNullOrWhiteSpace(subject) ? null : subject.Trim(), parsed.MessageId);
    }
}
