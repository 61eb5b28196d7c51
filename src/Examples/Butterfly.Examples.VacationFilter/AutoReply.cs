using MimeKit;
using MimeKit.Utils;

namespace Butterfly.Examples.VacationFilter;

/// <summary>Composes the automatic reply (RFC 3834, section 3) with MimeKit.</summary>
internal static class AutoReply
{
    /// <summary>The reply from <paramref name="account"/> to <paramref name="sender"/> about <paramref name="original"/>.</summary>
    public static MimeMessage Compose(string account, string sender, MimeMessage original, string text, DateTimeOffset now)
    {
        var reply = new MimeMessage();
        reply.From.Add(new MailboxAddress(string.Empty, account));
        reply.To.Add(new MailboxAddress(string.Empty, sender));

        // Section 3.1.5: "Auto:" and the original subject (MimeKit writes non-ASCII as encoded words).
        reply.Subject = "Auto: " + (original.Subject ?? string.Empty);
        reply.Date = now;
        reply.MessageId = MimeUtils.GenerateMessageId(account[(account.IndexOf('@', StringComparison.Ordinal) + 1)..]);

        // Section 3.1.5: In-Reply-To the original; References its References (else its
        // In-Reply-To) followed by its Message-ID, so the reply threads with it.
        if (original.References.Count > 0)
        {
            reply.References.AddRange(original.References);
        }
        else if (original.InReplyTo is { } parent)
        {
            reply.References.Add(parent);
        }

        if (original.MessageId is { } id)
        {
            reply.InReplyTo = id;
            reply.References.Add(id);
        }

        // Section 5: marks the reply, so other responders (this one included) never answer it.
        reply.Headers.Add("Auto-Submitted", "auto-replied");
        reply.Body = new BodyBuilder { TextBody = text }.ToMessageBody();
        return reply;
    }
}
