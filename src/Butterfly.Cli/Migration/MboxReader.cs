using System.Globalization;
using System.Text;

namespace Butterfly.Cli.Migration;

/// <summary>
/// Splits an mbox file into messages as it reads, holding one message at a time (a 5 GB file needs
/// no more memory than its largest message), and gives each message back byte for byte: the
/// quoting of <c>From </c> lines is undone as <see cref="MboxFormat"/> says, and the blank line that
/// separates messages is removed. A message starts at a line beginning <c>From </c> that opens the
/// file or follows a blank line.
/// </summary>
/// <remarks>
/// Hand-written rather than MimeKit's <c>MimeParser</c> in <c>MimeFormat.Mbox</c> mode: that parser
/// builds every message's MIME tree (work the daemon does again anyway), hands back a re-serialized
/// message rather than the exact bytes, and does not undo mboxrd's <c>&gt;From </c> quoting.
/// </remarks>
internal sealed class MboxReader : IDisposable
{
    private static readonly byte[] _from = "From "u8.ToArray();
    private static readonly string[] _dateFormats = ["ddd MMM d HH:mm:ss yyyy", "ddd MMM d HH:mm yyyy", "ddd, d MMM yyyy HH:mm:ss"];

    private readonly Stream _stream;
    private readonly MboxFormat _format;
    private readonly int _maxMessageBytes;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _message = new();
    private int _position;
    private int _length;
    private long _bufferOffset;
    private bool _eof;
    private bool _previousBlank = true;
    private long _pendingStart = -1;
    private DateTimeOffset? _pendingReceived;

    /// <summary>Reads from <paramref name="stream"/>, starting at its current position (a message boundary).</summary>
    /// <param name="stream">The file, positioned at the start or at a boundary a checkpoint recorded.</param>
    /// <param name="format">How body lines were quoted.</param>
    /// <param name="maxMessageBytes">Messages larger than this are counted but not kept.</param>
    public MboxReader(Stream stream, MboxFormat format, int maxMessageBytes)
    {
        _stream = stream;
        _format = format;
        _maxMessageBytes = maxMessageBytes;
        _bufferOffset = stream.CanSeek ? stream.Position : 0;
    }

    /// <summary>Where reading has got to in the file.</summary>
    public long Position => _bufferOffset + _position;

    /// <summary>Reads the next message; null at the end of the file.</summary>
    /// <exception cref="InvalidDataException">The file does not start with a <c>From </c> line.</exception>
    public MboxMessage? Next()
    {
        long size = 0;
        var oversize = false;
        _message.SetLength(0);
        while (true)
        {
            var lineStart = Position;
            if (!TryReadLine(out var line, out var complete))
            {
                break;
            }

            var startsLine = true;
            while (true)
            {
                if (startsLine && _previousBlank && line.StartsWith(_from))
                {
                    if (_pendingStart >= 0)
                    {
                        // The separator of the next message: hand back the one before it.
                        var finished = Finish(size, oversize, lineStart);
                        _pendingStart = lineStart;
                        _pendingReceived = ParseDate(line);
                        SkipRestOfLine(complete);
                        _previousBlank = false;
                        return finished;
                    }

                    _pendingStart = lineStart;
                    _pendingReceived = ParseDate(line);
                    SkipRestOfLine(complete);
                    _previousBlank = false;
                    break;
                }

                if (_pendingStart < 0)
                {
                    if (IsBlank(line) && complete)
                    {
                        break;
                    }

                    throw new InvalidDataException("This is not an mbox file: its first line does not start with \"From \".");
                }

                var kept = startsLine ? Unquote(line) : line;
                size += kept.Length;
                if (!oversize && size > _maxMessageBytes)
                {
                    oversize = true;
                    _message.SetLength(0);
                }

                if (!oversize)
                {
                    _message.Write(kept);
                }

                if (startsLine)
                {
                    _previousBlank = complete && IsBlank(line);
                }

                if (complete)
                {
                    break;
                }

                // A line longer than the buffer: go on with its next piece.
                startsLine = false;
                if (!TryReadLine(out line, out complete))
                {
                    break;
                }
            }
        }

        return _pendingStart >= 0 ? Finish(size, oversize, Position) : null;
    }

    /// <inheritdoc/>
    public void Dispose() => _message.Dispose();

    private MboxMessage Finish(long size, bool oversize, long end)
    {
        var start = _pendingStart;
        _pendingStart = -1;
        byte[]? data = null;
        var trailing = TrailingSeparator();
        size -= trailing;
        if (!oversize)
        {
            data = _message.GetBuffer().AsSpan(0, (int)_message.Length - trailing).ToArray();
        }

        return new MboxMessage(data, size, _pendingReceived, start, end);
    }

    // The blank line a writer puts before the next separator (or at the end) is not the message's.
    private int TrailingSeparator()
    {
        var bytes = _message.GetBuffer().AsSpan(0, (int)_message.Length);
        return bytes.EndsWith("\r\n\r\n"u8) ? 2 : bytes.EndsWith("\n\n"u8) ? 1 : bytes.SequenceEqual("\n"u8) ? 1 : 0;
    }

    private ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> line)
    {
        var quotes = 0;
        while (quotes < line.Length && line[quotes] == (byte)'>')
        {
            quotes++;
        }

        if (quotes == 0 || !line[quotes..].StartsWith(_from))
        {
            return line;
        }

        return _format == MboxFormat.Mboxrd || quotes == 1 ? line[1..] : line;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.SequenceEqual("\n"u8) || line.SequenceEqual("\r\n"u8);

    private static DateTimeOffset? ParseDate(ReadOnlySpan<byte> line)
    {
        // "From sender Sat Nov 21 12:00:01 2026": the words after the sender.
        var text = Encoding.Latin1.GetString(line).Trim();
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3)
        {
            return null;
        }

        var date = string.Join(' ', words[2..]);
        return DateTime.TryParseExact(date, _dateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc))
            : null;
    }

    private void SkipRestOfLine(bool complete)
    {
        while (!complete && TryReadLine(out _, out complete))
        {
        }
    }

    /// <summary>The next line (with its line end), or the next buffer-full of a longer one; false at the end.</summary>
    private bool TryReadLine(out ReadOnlySpan<byte> line, out bool complete)
    {
        while (true)
        {
            var available = _buffer.AsSpan(_position, _length - _position);
            var newline = available.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = available[..(newline + 1)];
                _position += newline + 1;
                complete = true;
                return true;
            }

            if (_eof || available.Length == _buffer.Length)
            {
                // The last line without a line end, or a piece of a line longer than the buffer.
                line = available;
                _position = _length;
                complete = _eof;
                return available.Length > 0;
            }

            // Move the partial line to the front and read more.
            available.CopyTo(_buffer);
            _bufferOffset += _position;
            _length = available.Length;
            _position = 0;
            var read = _stream.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0)
            {
                _eof = true;
            }

            _length += read;
        }
    }
}
