using System.Globalization;
using System.Text;

namespace Butterfly.Mime.Mbox;

/// <summary>
/// Writes mboxrd: a "From sender date" line, the message with every "&gt;*From " line given one
/// more "&gt;", a final line break if missing, and a blank line.
/// </summary>
public sealed class MboxWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;

    /// <summary>Writes to <paramref name="stream"/>.</summary>
    public MboxWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Appends one message.</summary>
    /// <param name="message">The raw message.</param>
    /// <param name="sender">The envelope sender for the separator line; "MAILER-DAEMON" when null or empty.</param>
    /// <param name="date">The date for the separator line; now when null.</param>
    public void Write(ReadOnlySpan<byte> message, string? sender = null, DateTimeOffset? date = null)
    {
        sender = string.IsNullOrWhiteSpace(sender) ? "MAILER-DAEMON" : sender.Replace(' ', '_').Replace('\r', '_').Replace('\n', '_');
        var when = (date ?? DateTimeOffset.UtcNow).UtcDateTime;
        var line = "From " + sender + " " + when.ToString("ddd MMM ", CultureInfo.InvariantCulture)
            + when.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + when.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture) + "\n";
        _stream.Write(Encoding.UTF8.GetBytes(line));

        int pos = 0;
        while (pos < message.Length)
        {
            int nl = message[pos..].IndexOf((byte)'\n');
            int next = nl < 0 ? message.Length : pos + nl + 1;
            var l = message[pos..next];
            if (Mboxrd.IsQuotedFrom(l, out _))
            {
                _stream.WriteByte((byte)'>');
            }

            _stream.Write(l);
            pos = next;
        }

        if (message.Length > 0 && message[^1] != (byte)'\n')
        {
            _stream.WriteByte((byte)'\n');
        }

        _stream.WriteByte((byte)'\n');
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
