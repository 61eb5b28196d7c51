using System.Globalization;
using System.Text;

namespace Butterfly.Bench;

/// <summary>Builds a valid RFC 5322 message of an exact size for <c>bench send</c>.</summary>
public static class BenchMessage
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-";
    private const int LineLength = 76;

    /// <summary>
    /// A message from <paramref name="from"/> to <paramref name="to"/> whose total length is
    /// <paramref name="size"/> bytes (or the header alone when that is larger): a header block,
    /// an empty line, then lines of printable text of at most 76 characters, CRLF-terminated.
    /// </summary>
    public static byte[] Create(string from, string to, int size, int seed = 1)
    {
        var header = new StringBuilder()
            .Append("From: ").Append(from).Append("\r\n")
            .Append("To: ").Append(to).Append("\r\n")
            .Append("Subject: butterfly bench ").Append(size.ToString(CultureInfo.InvariantCulture)).Append(" bytes\r\n")
            .Append("Date: ").Append(DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=us-ascii\r\n")
            .Append("\r\n")
            .ToString();
        var headerBytes = Encoding.ASCII.GetBytes(header);
        var bodyLength = Math.Max(2, size - headerBytes.Length);
        var message = new byte[headerBytes.Length + bodyLength];
        headerBytes.CopyTo(message, 0);

        var random = new Random(seed);
        var position = headerBytes.Length;
        while (position < message.Length)
        {
            var remaining = message.Length - position;

            // A line is text then CRLF; the last line takes whatever is left (at least the CRLF).
            var text = Math.Min(LineLength, remaining - 2);
            if (remaining - (text + 2) is > 0 and < 3)
            {
                // Leave room for a next line of at least one character plus CRLF.
                text -= 3;
            }

            for (var i = 0; i < text; i++)
            {
                // No line starts or ends with a space, so no trailing whitespace is stripped in transit.
                var c = Alphabet[random.Next(Alphabet.Length)];
                message[position++] = (byte)(c == ' ' && (i == 0 || i == text - 1) ? 'x' : c);
            }

            message[position++] = (byte)'\r';
            message[position++] = (byte)'\n';
        }

        return message;
    }
}
