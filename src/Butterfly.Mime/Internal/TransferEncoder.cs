using System.Text;

namespace Butterfly.Mime.Internal;

/// <summary>Content-Transfer-Encoding choice and the base64 and quoted-printable encoders.</summary>
internal static class TransferEncoder
{
    /// <summary>
    /// Chooses "7bit" for ASCII with CRLF lines of at most 998 bytes and no NUL; otherwise
    /// "quoted-printable" when most bytes are printable ASCII, else "base64".
    /// </summary>
    public static string Choose(ReadOnlySpan<byte> content)
    {
        int needsEscape = 0;
        bool sevenBit = true;
        int lineLength = 0;
        for (int i = 0; i < content.Length; i++)
        {
            byte b = content[i];
            if (b == (byte)'\r' && i + 1 < content.Length && content[i + 1] == (byte)'\n')
            {
                i++;
                lineLength = 0;
                continue;
            }

            lineLength++;
            if (lineLength > 998)
            {
                sevenBit = false;
            }

            if (b >= 127 || (b < 32 && b != (byte)'\t') || b == 0)
            {
                sevenBit = false;
                needsEscape++;
            }
        }

        if (sevenBit)
        {
            return "7bit";
        }

        // Quoted-printable costs 3 bytes per escaped byte, base64 4 per 3 bytes.
        return needsEscape * 3 > content.Length / 3 ? "base64" : "quoted-printable";
    }

    public static void WriteBase64(MemoryStream output, ReadOnlySpan<byte> content)
    {
        var text = Convert.ToBase64String(content);
        var crlf = "\r\n"u8;
        for (int i = 0; i < text.Length; i += 76)
        {
            int n = Math.Min(76, text.Length - i);
            output.Write(Encoding.ASCII.GetBytes(text.AsSpan(i, n).ToString()));
            output.Write(crlf);
        }
    }

    /// <summary>Quoted-printable with CRLF as hard line breaks; bare CR or LF bytes are escaped so they survive.</summary>
    public static void WriteQuotedPrintable(MemoryStream output, ReadOnlySpan<byte> content)
    {
        var sb = new StringBuilder(content.Length + (content.Length / 8));
        int column = 0;
        for (int i = 0; i < content.Length; i++)
        {
            byte b = content[i];
            if (b == (byte)'\r' && i + 1 < content.Length && content[i + 1] == (byte)'\n')
            {
                sb.Append("\r\n");
                column = 0;
                i++;
                continue;
            }

            bool atLineEnd = i + 1 == content.Length || (content[i + 1] == (byte)'\r' && i + 2 < content.Length && content[i + 2] == (byte)'\n');
            bool escape = b == (byte)'=' || b > 126 || (b < 32 && b != (byte)'\t')
                || ((b == (byte)' ' || b == (byte)'\t') && atLineEnd)
                || (column == 0 && b == (byte)'F' && content[i..].StartsWith("From "u8))
                || (column == 0 && b == (byte)'.' && atLineEnd)
                || (column == 0 && b == (byte)'-');
            int width = escape ? 3 : 1;
            if (column + width > 75)
            {
                sb.Append("=\r\n");
                column = 0;
            }

            if (escape)
            {
                sb.Append('=').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 15]);
            }
            else
            {
                sb.Append((char)b);
            }

            column += width;
        }

        output.Write(Encoding.ASCII.GetBytes(sb.ToString()));
    }
}
