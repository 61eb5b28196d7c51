namespace Butterfly.Mime.Mbox;

/// <summary>
/// Reads mbox files (mboxrd: "&gt;From " quoting is undone). Messages are separated by lines
/// starting with "From "; the blank line before each separator belongs to the separator.
/// Works on a <see cref="Stream"/> with bounded memory, or on bytes in memory without copying.
/// </summary>
public sealed class MboxReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _maxMessageBytes;
    private readonly bool _copy;
    private byte[] _buffer;
    private int _start;
    private int _length;
    private long _bufferOffset;
    private bool _eof;
    private bool _atLineStart = true;
    private int _resume;
    private bool _started;

    /// <summary>Reads from <paramref name="stream"/>.</summary>
    /// <param name="stream">The mbox.</param>
    /// <param name="maxMessageBytes">The largest message accepted; a larger one makes <see cref="TryRead"/> throw <see cref="InvalidDataException"/>.</param>
    /// <param name="leaveOpen">Whether to leave the stream open on dispose.</param>
    /// <param name="copyMessages">
    /// True (the default): each message is a fresh array the caller may keep. False: a message
    /// without mboxrd quoting is a view of the reader's buffer, valid only until the next
    /// <see cref="TryRead"/> (for streaming work that parses and drops each message).
    /// </param>
    public MboxReader(Stream stream, int maxMessageBytes = 256 << 20, bool leaveOpen = false, bool copyMessages = true)
    {
        _copy = copyMessages;
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _maxMessageBytes = maxMessageBytes;
        _buffer = new byte[1 << 16];
    }

    /// <summary>Reads the next message (see the constructor for how long its bytes stay valid).</summary>
    /// <returns>False at the end of the mbox.</returns>
    public bool TryRead(out MboxEntry entry)
    {
        entry = default;
        while (true)
        {
            if (!_started)
            {
                // A byte-order mark before the first "From " line (as MboxSplitter.Split skips it).
                if (_length < 3 && !_eof)
                {
                    Fill();
                    continue;
                }

                _started = true;
                int bom = Internal.ByteOrderMark.Length(_buffer.AsSpan(_start, _length));
                _start += bom;
                _length -= bom;
            }

            var data = _buffer.AsSpan(_start, _length);

            // Skip anything before the first "From " line (and blank lines between messages).
            int from = FindSeparator(data, 0);
            if (from < 0)
            {
                if (_eof)
                {
                    _length = 0;
                    return false;
                }

                if (_atLineStart && data.Length < 5)
                {
                    // Perhaps the start of a "From " line: read on.
                    Fill();
                    continue;
                }

                // Drop what cannot hold a separator, keeping a possible "\nFrom" cut by the read. The
                // kept bytes must not look like a line start, or "From " read next would match mid-line.
                var tail = data[Math.Max(0, data.Length - 5)..];
                int nl = tail.LastIndexOf((byte)'\n');
                int keep = nl >= 0 ? tail.Length - nl : Math.Min(1, data.Length);
                _start += _length - keep;
                _length = keep;
                if (nl < 0 && keep == 1)
                {
                    _buffer[_start] = 0;
                }

                _atLineStart = false;
                _resume = 0;
                Fill();
                continue;
            }

            int lineEnd = data[from..].IndexOf((byte)'\n');
            int next = -1;
            if (lineEnd >= 0)
            {
                // Search for "\nFrom " from the line break that ends the separator line, or from
                // where the previous search stopped: a long message is scanned once, not once per read.
                int searchFrom = Math.Max(from + lineEnd, _resume);
                int k = data[searchFrom..].IndexOf("\nFrom "u8);
                next = k < 0 ? -1 : searchFrom + k + 1;
                _resume = k < 0 ? Math.Max(searchFrom, data.Length - 5) : 0;
            }

            if (next < 0 && !_eof)
            {
                if (_length > _maxMessageBytes + 1024)
                {
                    throw new InvalidDataException("An mbox message is larger than the limit of " + _maxMessageBytes + " bytes.");
                }

                Fill();
                continue;
            }

            int end = next < 0 ? data.Length : next;
            int bodyStart = lineEnd < 0 ? data.Length : from + lineEnd + 1;
            int messageEnd = MboxSplitter.MessageEnd(data, bodyStart, end);
            if (messageEnd - bodyStart > _maxMessageBytes)
            {
                throw new InvalidDataException("An mbox message is larger than the limit of " + _maxMessageBytes + " bytes.");
            }

            var message = _copy
                ? data[bodyStart..messageEnd].ToArray()
                : _buffer.AsMemory(_start + bodyStart, messageEnd - bodyStart);
            entry = new MboxEntry(MboxSplitter.FromLine(data, from, bodyStart), Mboxrd.Unquote(message), _bufferOffset + _start + from);
            _start += end;
            _length -= end;
            _atLineStart = true;
            _resume = 0;
            return true;
        }
    }

    /// <summary>Every message of an mbox held in memory; messages without quoted lines are not copied.</summary>
    public static IEnumerable<MboxEntry> Split(ReadOnlyMemory<byte> mbox) => MboxSplitter.Split(mbox);

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private static int FindSeparator(ReadOnlySpan<byte> data, int pos) => MboxSplitter.FindSeparator(data, pos);

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _length);
            _bufferOffset += _start;
            _start = 0;
        }

        if (_length == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int n = _stream.Read(_buffer, _length, _buffer.Length - _length);
        if (n == 0)
        {
            _eof = true;
        }

        _length += n;
    }
}
