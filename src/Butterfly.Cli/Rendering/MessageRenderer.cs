using System.Globalization;
using System.Text;
using Butterfly.Mime;

namespace Butterfly.Cli.Rendering;

/// <summary>
/// Turns a raw RFC 5322 message into what <c>butterfly read</c> shows, through Butterfly.Mime:
/// the decoded From, To, Cc, Subject and Date fields, the readable text (text/plain preferred,
/// HTML reduced to text, transfer encodings and charsets decoded) and the attachments.
/// </summary>
internal static class MessageRenderer
{
    /// <summary>Decodes a message. A message the parser refuses is shown as raw text.</summary>
    public static RenderedMessage Decode(byte[] raw)
    {
        if (MimeMessage.TryParse(raw, ParserOptions.Default, out var message) != MimeError.None || message is null)
        {
            return new RenderedMessage([], Encoding.UTF8.GetString(raw), []);
        }

        var fields = new List<(string Name, string Value)>();
        AddAddresses(fields, "From", message.From);
        AddAddresses(fields, "To", message.To);
        AddAddresses(fields, "Cc", message.Cc);
        if (message.Subject is not null)
        {
            fields.Add(("Subject", message.Subject));
        }

        if (message.Headers["Date"] is { } date)
        {
            fields.Add(("Date", date.Trim()));
        }

        var attachments = message.GetAttachments()
            .Select(a => new RenderedAttachment(a.FileName, a.MediaType, a.Size))
            .ToArray();
        return new RenderedMessage(fields, message.GetText(), attachments);
    }

    /// <summary>The readable view of a message, as <c>butterfly read</c> prints it.</summary>
    public static string Render(byte[] raw)
    {
        var decoded = Decode(raw);
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
        var body = decoded.Text.Replace("\r\n", "\n", StringComparison.Ordinal);
        text.Append(body);
        if (body.Length > 0 && body[^1] != '\n')
        {
            text.AppendLine();
        }

        return text.ToString();
    }

    private static void AddAddresses(List<(string Name, string Value)> fields, string name, IReadOnlyList<MailboxAddress> addresses)
    {
        if (addresses.Count > 0)
        {
            fields.Add((name, string.Join(", ", addresses.Select(a => a.ToString()))));
        }
    }
}
