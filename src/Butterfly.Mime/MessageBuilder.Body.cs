using System.Text;
using Butterfly.Mime.Internal;

namespace Butterfly.Mime;

/// <content>The MIME body: text, HTML alternative, attachments.</content>
public sealed partial class MessageBuilder
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    private void WriteBody(MemoryStream output, HeaderWriter w)
    {
        if (Attachments.Count == 0)
        {
            WriteTextPart(output, w);
            return;
        }

        var boundary = NewBoundary();
        WriteMultipartHeader(w, "mixed", boundary);
        output.Write(Crlf);
        WriteDelimiter(output, boundary, first: true);
        WriteTextPart(output, w);
        foreach (var a in Attachments)
        {
            WriteDelimiter(output, boundary, first: false);
            WriteAttachment(output, w, a);
        }

        WriteClose(output, boundary);
    }

    /// <summary>The text body, the HTML body, or both as multipart/alternative.</summary>
    private void WriteTextPart(MemoryStream output, HeaderWriter w)
    {
        if (TextBody is not null && HtmlBody is not null)
        {
            var boundary = NewBoundary();
            WriteMultipartHeader(w, "alternative", boundary);
            output.Write(Crlf);
            WriteDelimiter(output, boundary, first: true);
            WriteLeafText(output, w, "plain", TextBody);
            WriteDelimiter(output, boundary, first: false);
            WriteLeafText(output, w, "html", HtmlBody);
            WriteClose(output, boundary);
            return;
        }

        if (HtmlBody is not null)
        {
            WriteLeafText(output, w, "html", HtmlBody);
        }
        else
        {
            WriteLeafText(output, w, "plain", TextBody ?? string.Empty);
        }
    }

    private static void WriteLeafText(MemoryStream output, HeaderWriter w, string subtype, string text)
    {
        var content = Encoding.UTF8.GetBytes(NormalizeLineBreaks(text));
        var cte = TransferEncoder.Choose(content);
        bool ascii = Ascii.IsValid(content);
        w.Simple("Content-Type", "text/" + subtype + "; charset=" + (ascii ? "us-ascii" : "utf-8"));
        w.Simple("Content-Transfer-Encoding", cte);
        output.Write(Crlf);
        WriteContent(output, content, cte);
    }

    private static void WriteAttachment(MemoryStream output, HeaderWriter w, Attachment a)
    {
        var mediaType = IsValidMediaType(a.MediaType) ? a.MediaType.Trim().ToLowerInvariant() : "application/octet-stream";
        var content = a.Content.Span;
        var cte = mediaType.StartsWith("text/", StringComparison.Ordinal) ? TransferEncoder.Choose(content) : "base64";
        w.Begin("Content-Type");
        w.Token(mediaType + ";");
        WriteFileNameParameter(w, "name", a.FileName, last: true);
        w.End();
        w.Begin("Content-Disposition");
        w.Token("attachment;");
        WriteFileNameParameter(w, "filename", a.FileName, last: true);
        w.End();
        w.Simple("Content-Transfer-Encoding", cte);
        output.Write(Crlf);
        WriteContent(output, content, cte);
    }

    /// <summary>A file name as a quoted string when it is short ASCII, else RFC 2231 sections.</summary>
    private static void WriteFileNameParameter(HeaderWriter w, string name, string value, bool last)
    {
        value = HeaderWriter.Sanitize(value);
        string end = last ? string.Empty : ";";
        bool simple = value.Length <= 60 && !EncodedWordEncoder.NeedsEncoding(value);
        if (simple)
        {
            w.Token(name + "=" + AddressFormatter.Quote(value) + end);
            return;
        }

        // RFC 2231: charset'language'percent-encoded, in sections of about 50 characters.
        var bytes = Encoding.UTF8.GetBytes(value);
        var sections = new List<string>();
        var sb = new StringBuilder();
        foreach (var b in bytes)
        {
            bool plain = char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'-' or (byte)'_';
            var piece = plain ? ((char)b).ToString() : "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture);

            // Do not split a UTF-8 sequence between sections: continuation bytes stay with their lead.
            if (sb.Length + piece.Length > 50 && (b & 0xC0) != 0x80)
            {
                sections.Add(sb.ToString());
                sb.Clear();
            }

            sb.Append(piece);
        }

        sections.Add(sb.ToString());
        if (sections.Count == 1)
        {
            w.Token(name + "*=utf-8''" + sections[0] + end);
            return;
        }

        for (int i = 0; i < sections.Count; i++)
        {
            var prefix = i == 0 ? "utf-8''" : string.Empty;
            var sep = i < sections.Count - 1 ? ";" : end;
            w.Token(name + "*" + i + "*=" + prefix + sections[i] + sep);
        }
    }

    private static bool IsValidMediaType(string mediaType)
    {
        var t = mediaType.Trim();
        int slash = t.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == t.Length - 1)
        {
            return false;
        }

        foreach (var c in t)
        {
            if (c != '/' && !(char.IsAsciiLetterOrDigit(c) || "!#$&-^_.+".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return t.IndexOf('/', slash + 1) < 0;
    }

    private static void WriteContent(MemoryStream output, ReadOnlySpan<byte> content, string cte)
    {
        switch (cte)
        {
            case "base64":
                TransferEncoder.WriteBase64(output, content);
                break;
            case "quoted-printable":
                TransferEncoder.WriteQuotedPrintable(output, content);
                break;
            default:
                output.Write(content);
                break;
        }
    }

    private static void WriteMultipartHeader(HeaderWriter w, string subtype, string boundary)
    {
        w.Begin("Content-Type");
        w.Token("multipart/" + subtype + ";");
        w.Token("boundary=\"" + boundary + "\"");
        w.End();
    }

    /// <summary>The line break before a delimiter belongs to the delimiter (RFC 2046 5.1.1).</summary>
    private static void WriteDelimiter(MemoryStream output, string boundary, bool first)
    {
        output.Write(Encoding.ASCII.GetBytes((first ? "--" : "\r\n--") + boundary + "\r\n"));
    }

    private static void WriteClose(MemoryStream output, string boundary)
    {
        output.Write(Encoding.ASCII.GetBytes("\r\n--" + boundary + "--\r\n"));
    }

    private static string NormalizeLineBreaks(string text)
    {
        if (!text.AsSpan().ContainsAny('\r', '\n'))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                sb.Append("\r\n");
            }
            else if (c == '\n')
            {
                sb.Append("\r\n");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
