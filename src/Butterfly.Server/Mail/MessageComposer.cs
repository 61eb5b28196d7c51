using Butterfly.Protocol.Errors;
using MimeKit;
using MimeKit.Utils;

namespace Butterfly.Server.Mail;

/// <summary>
/// The one composer of messages from simple fields (protocol/client.md, "send"; "draft.save"), with MimeKit:
/// From the account, To and Cc as given, Bcc in the envelope only (kept as a field in a draft), Subject, Date, a
/// Message-ID on the server's name, In-Reply-To and References for a reply, the text as text/plain, and attached
/// files as base64 parts of a multipart/mixed.
/// </summary>
internal static class MessageComposer
{
    /// <summary>Composes <paramref name="fields"/>.</summary>
    /// <param name="from">The account's address.</param>
    /// <param name="serverName">The name Message-IDs are made on.</param>
    /// <param name="fields">What to compose.</param>
    /// <param name="keepBcc">Write the Bcc field (a draft) instead of leaving it to the envelope.</param>
    /// <param name="raw">The message's bytes.</param>
    /// <param name="envelope">The recipients' addresses: To, Cc, then Bcc.</param>
    /// <param name="error">What is wrong, when false: <see cref="ErrorCode.RecipientInvalid"/> or <see cref="ErrorCode.RequestInvalid"/>.</param>
    public static bool TryCompose(
        string from,
        string serverName,
        ComposeFields fields,
        bool keepBcc,
        out byte[] raw,
        out List<string> envelope,
        out (ErrorCode Code, string Message) error)
    {
        raw = [];
        error = default;
        envelope = new List<string>(fields.To.Count + fields.Cc.Count + fields.Bcc.Count);
        using var message = MessageWriter.NewMessage();
        message.From.Add(new MailboxAddress(string.Empty, from));
        foreach (var (list, header) in new[] { (fields.To, message.To), (fields.Cc, message.Cc), (fields.Bcc, keepBcc ? message.Bcc : null) })
        {
            foreach (var entry in list)
            {
                if (!MailboxAddress.TryParse(entry, out var mailbox) || !Addresses.TryNormalize(mailbox.Address, out var address, out _))
                {
                    error = (ErrorCode.RecipientInvalid, $"'{entry}' is not a valid address.");
                    return false;
                }

                header?.Add(mailbox);
                envelope.Add(address);
            }
        }

        if (fields.Subject.Length > 0)
        {
            message.Subject = fields.Subject;
        }

        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = MimeUtils.GenerateMessageId(serverName);
        if (fields.InReplyTo is { } inReplyTo)
        {
            if (!TryMessageId(inReplyTo, out var id))
            {
                error = (ErrorCode.RequestInvalid, "\"inReplyTo\" is not a message id.");
                return false;
            }

            message.InReplyTo = id;
        }

        foreach (var reference in fields.References)
        {
            if (!TryMessageId(reference, out var id))
            {
                error = (ErrorCode.RequestInvalid, "\"references\" holds something that is not a message id.");
                return false;
            }

            message.References.Add(id);
        }

        var text = new TextPart("plain") { Text = fields.Text };
        if (fields.Attachments.Count == 0)
        {
            message.Body = text;
        }
        else
        {
            var mixed = new Multipart("mixed") { text };
            foreach (var attachment in fields.Attachments)
            {
                mixed.Add(new MimePart(ContentType.Parse(attachment.Type))
                {
                    Content = new MimeContent(new MemoryStream(attachment.Bytes.ToArray(), writable: false)),
                    ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                    ContentTransferEncoding = ContentEncoding.Base64,
                    FileName = attachment.Name,
                });
            }

            message.Body = mixed;
        }

        raw = MessageWriter.ToBytes(message);
        return true;
    }

    // An id as clients send it, with or without brackets: one token without spaces or controls.
    private static bool TryMessageId(string text, out string id)
    {
        id = text.Trim().TrimStart('<').TrimEnd('>');
        return id.Length is > 0 and <= 998 && !id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>');
    }
}
