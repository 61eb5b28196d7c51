using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.IO;
using MimeKit.Text;

namespace Butterfly.Cli.Rendering;

/// <summary>
/// Turns a raw RFC 5322 message into what <c>butterfly read</c> shows, through MimeKit: the decoded
/// From, To, Cc, Subject and Date, the readable text (text/plain preferred, format=flowed
/// unwrapped, HTML turned into text when there is no plain part) and the attachments.
/// </summary>
internal static class MessageRenderer
{
    /// <summary>Decodes a message. Bytes MimeKit cannot read at all are shown as text.</summary>
    public static RenderedMessage Decode(byte[] raw)
    {
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            return new RenderedMessage([], Encoding.UTF8.GetString(raw), []);
        }

        var fields = new List<(string Name, string Value)>();
        AddAddresses(fields, "From", message.From);
        AddAddresses(fields, "To", message.To);
        AddAddresses(fields, "Cc", message.Cc);
        if (message.Subject is { } subject)
        {
            fields.Add(("Subject", subject));
        }

        if (message.Headers[HeaderId.Date] is { } date)
        {
            fields.Add(("Date", date.Trim()));
        }

        var body = MessageBody.Find(message.Body);
        var attachments = new List<RenderedAttachment>();
        foreach (var part in message.BodyParts)
        {
            if (!body.Uses(part) && IsAttachment(part))
            {
                attachments.Add(new RenderedAttachment(FileName(part), part.ContentType.MimeType, DecodedSize(part)));
            }
        }

        return new RenderedMessage(fields, body.Text(), attachments);
    }

    /// <summary>The readable view of a message, as <c>butterfly read</c> prints it.</summary>
    public static string Render(RenderedMessage decoded)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in decoded.Fields)
        {
            text.Append(name).Append(": ").AppendLine(value);
        }

        foreach (var attachment in decoded.Attachments)
        {
            text.Append("Attachment: ").Append(attachment.FileName ?? "(no name)")
                .Append(" (").Append(attachment.MediaType).Append(", ")
                .Append(attachment.Size.ToString("N0", CultureInfo.InvariantCulture)).AppendLine(" bytes)");
        }

        text.AppendLine();
        var body = decoded.Text.ReplaceLineEndings("\n");
        text.Append(body);
        if (body.Length > 0 && body[^1] != '\n')
        {
            text.AppendLine();
        }

        return text.ToString();
    }

    private static void AddAddresses(List<(string Name, string Value)> fields, string name, InternetAddressList addresses)
    {
        if (addresses.Count > 0)
        {
            fields.Add((name, string.Join(", ", addresses.Select(Display))));
        }
    }

    /// <summary>An address as a reader expects it: <c>René &lt;rene@example.org&gt;</c>, decoded and unquoted.</summary>
    private static string Display(InternetAddress address) => address switch
    {
        MailboxAddress { Name.Length: > 0 } mailbox => $"{mailbox.Name} <{mailbox.Address}>",
        MailboxAddress mailbox => mailbox.Address,
        GroupAddress group => $"{group.Name}: {string.Join(", ", group.Members.Select(Display))};",
        _ => address.ToString(),
    };

    /// <summary>What a reader would call an attachment: a part marked so, anything not text, or a forwarded message.</summary>
    private static bool IsAttachment(MimeEntity part) =>
        part.IsAttachment || part is MessagePart || !part.ContentType.IsMimeType("text", "*") || FileName(part) is not null;

    private static string? FileName(MimeEntity part) => part switch
    {
        MimePart mime => mime.FileName,
        _ => part.ContentDisposition?.FileName ?? part.ContentType.Name,
    };

    private static long DecodedSize(MimeEntity part)
    {
        using var measure = new MeasuringStream();
        switch (part)
        {
            case MimePart { Content: { } content }:
                content.DecodeTo(measure);
                break;
            case MessagePart { Message: { } message }:
                // As it travels: CRLF line ends, whatever the platform's default.
                message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, measure);
                break;
        }

        return measure.Length;
    }
}
