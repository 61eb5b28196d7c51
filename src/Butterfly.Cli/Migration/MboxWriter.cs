using System.Globalization;
using System.Text;

namespace Butterfly.Cli.Migration;

/// <summary>
/// Writes messages as mboxrd: a <c>From </c> line with the message's internal date, the message with
/// every line matching <c>^&gt;*From </c> given one more <c>&gt;</c>, and a blank line.
/// <see cref="MboxReader"/> with <see cref="MboxFormat.Mboxrd"/> gives back the same bytes.
/// </summary>
internal sealed class MboxWriter(Stream output)
{
    private static readonly byte[] _from = "From "u8.ToArray();

    /// <summary>The <c>From </c> line's date: asctime, in UTC (<c>Sat Nov 21 12:00:01 2026</c>).</summary>
    public static string AscTime(DateTimeOffset date)
    {
        var utc = date.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{utc:ddd MMM} {utc.Day,2} {utc:HH:mm:ss yyyy}");
    }

    /// <summary>Appends one message.</summary>
    /// <param name="message">Its bytes.</param>
    /// <param name="received">Its internal date, for the separator line.</param>
    public void Write(ReadOnlySpan<byte> message, DateTimeOffset received)
    {
        output.Write(Encoding.ASCII.GetBytes($"From MAILER-DAEMON {AscTime(received)}\n"));
        var rest = message;
        while (rest.Length > 0)
        {
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..(newline + 1)];
            if (line.TrimStart((byte)'>').StartsWith(_from))
            {
                output.WriteByte((byte)'>');
            }

            output.Write(line);
            rest = rest[line.Length..];
        }

        // A message not ending in a line end gets one: the separator must start a line.
        if (message.Length > 0 && message[^1] != (byte)'\n')
        {
            output.WriteByte((byte)'\n');
        }

        output.WriteByte((byte)'\n');
    }
}
