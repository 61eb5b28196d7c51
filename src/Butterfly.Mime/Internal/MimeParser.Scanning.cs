namespace Butterfly.Mime.Internal;

/// <content>Delimiter scanning and header blocks.</content>
internal sealed partial class MimeParser
{
    /// <summary>
    /// Finds the first line at or after <paramref name="pos"/> (a line start) that is a delimiter
    /// of an open multipart, innermost first. Returns its start, or the end of the input.
    /// </summary>
    private int FindDelimiter(int pos, out int level, out bool close)
    {
        level = -1;
        close = false;
        if (_boundaries.Count == 0 || pos >= _end)
        {
            return _end;
        }

        if (Classify(pos, out level, out close))
        {
            return pos;
        }

        var span = _data.Span;
        while (true)
        {
            int idx = span[pos.._end].IndexOf("\n--"u8);
            if (idx < 0)
            {
                return _end;
            }

            int lineStart = pos + idx + 1;
            if (Classify(lineStart, out level, out close))
            {
                return lineStart;
            }

            pos = lineStart;
        }
    }

    /// <summary>
    /// Whether the line at <paramref name="lineStart"/> starts with "--" and the boundary of an
    /// open multipart (RFC 2046 5.1.1, leniently: anything may follow on the line).
    /// </summary>
    private bool Classify(int lineStart, out int level, out bool close)
    {
        level = -1;
        close = false;
        var rest = _data.Span[lineStart.._end];
        if (rest.Length < 2 || rest[0] != (byte)'-' || rest[1] != (byte)'-')
        {
            return false;
        }

        rest = rest[2..];
        for (int k = _boundaries.Count - 1; k >= 0; k--)
        {
            var b = _boundaries[k];
            if (rest.StartsWith(b))
            {
                level = k;
                var after = rest[b.Length..];
                close = after.Length >= 2 && after[0] == (byte)'-' && after[1] == (byte)'-';
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses a header block, enforcing the header limits before keeping anything.</summary>
    /// <param name="start">The first byte of the block; moved past an mbox "From " line.</param>
    /// <param name="message">Whether the block opens a message (top level or message/rfc822), where a "From " line may come first.</param>
    /// <param name="headers">The fields kept.</param>
    /// <param name="bodyStart">Where the body starts.</param>
    /// <param name="contentType">The first Content-Type field, or null.</param>
    /// <param name="transferEncoding">The first Content-Transfer-Encoding field, or null.</param>
    private bool ParseHeaders(ref int start, bool message, out HeaderList headers, out int bodyStart, out Header? contentType, out Header? transferEncoding)
    {
        headers = HeaderList.Empty;
        contentType = transferEncoding = null;
        bodyStart = _end;
        var span = _data.Span;
        _scratch.Clear();
        int pos = start;
        int fieldStart = -1, fieldNameLength = 0, fieldColon = 0, fieldEnd = 0;
        int maxBlock = _options.MaxHeaderBlockBytes;
        int maxLine = _options.MaxLineLength;

        // The first line among the fields that is not a field, and how many fields were kept
        // before it: if no blank line ends the block after all, that line was the body's first.
        int skipped = -1, keptAtSkip = 0;

        while (pos < _end)
        {
            int nl = span[pos.._end].IndexOf((byte)'\n');
            int next = nl < 0 ? _end : pos + nl + 1;
            int contentEnd = nl < 0 ? _end : pos + nl;
            if (contentEnd > pos && span[contentEnd - 1] == (byte)'\r')
            {
                contentEnd--;
            }

            if (contentEnd - pos > maxLine || next - start > maxBlock)
            {
                if (skipped >= 0)
                {
                    break;
                }

                Error = contentEnd - pos > maxLine ? MimeError.LineTooLong : MimeError.HeaderBlockTooLarge;
                return false;
            }

            if (contentEnd == pos)
            {
                // The blank line that ends the header block (and makes any skipped line junk).
                bodyStart = next;
                skipped = -1;
                break;
            }

            byte b0 = span[pos];
            if (b0 is (byte)' ' or (byte)'\t')
            {
                if (fieldStart >= 0)
                {
                    fieldEnd = contentEnd;
                    pos = next;
                    continue;
                }

                if (_options.Strict)
                {
                    Error = MimeError.Malformed;
                    return false;
                }

                // White space before any field, or after a skipped line: skip the line.
                pos = next;
                continue;
            }

            if (b0 == (byte)'-' && _boundaries.Count > 0 && Classify(pos, out _, out _))
            {
                // A delimiter where headers were expected: the part has no body.
                bodyStart = pos;
                break;
            }

            int colon = span[pos..contentEnd].IndexOf((byte)':');
            int nameLength = colon < 0 ? 0 : NameLength(span.Slice(pos, colon));
            if (nameLength == 0)
            {
                if (message && pos == start && span[pos..contentEnd].StartsWith("From "u8))
                {
                    // An mbox "From " line before the first field.
                    pos = next;
                    start = next;
                    continue;
                }

                if (_options.Strict)
                {
                    Error = MimeError.Malformed;
                    return false;
                }

                if (fieldStart < 0 && _scratch.Count == 0)
                {
                    // Not a field and no field before it: an entity without headers (or without
                    // the blank line after none); its body starts here.
                    bodyStart = pos;
                    break;
                }

                // Not a field among fields (no colon, or a bad name): skip the line rather than end
                // the block, as MimeKit does, so the fields after it (Content-Type) are kept.
                if (fieldStart >= 0)
                {
                    AddField(fieldStart, fieldNameLength, fieldColon, fieldEnd, ref contentType, ref transferEncoding);
                    fieldStart = -1;
                }

                if (skipped < 0)
                {
                    skipped = pos;
                    keptAtSkip = _scratch.Count;
                }

                pos = next;
                continue;
            }

            if (fieldStart >= 0)
            {
                AddField(fieldStart, fieldNameLength, fieldColon, fieldEnd, ref contentType, ref transferEncoding);
            }

            if (_scratch.Count + 1 > _options.MaxHeaderFields)
            {
                if (skipped >= 0)
                {
                    fieldStart = -1;
                    break;
                }

                Error = MimeError.TooManyHeaderFields;
                return false;
            }

            fieldStart = pos;
            fieldNameLength = nameLength;
            fieldColon = colon;
            fieldEnd = contentEnd;
            pos = next;
        }

        if (skipped >= 0)
        {
            // No blank line within the limits, the input or the part: the skipped line was the
            // start of a body that has no blank line before it, and what followed it is body too.
            bodyStart = skipped;
            _scratch.RemoveRange(keptAtSkip, _scratch.Count - keptAtSkip);
            contentType = transferEncoding = null;
            for (int k = 0; k < _scratch.Count; k++)
            {
                var kept = _scratch[k];
                if (contentType is null && kept.Is("Content-Type"))
                {
                    contentType = kept;
                }
                else if (transferEncoding is null && kept.Is("Content-Transfer-Encoding"))
                {
                    transferEncoding = kept;
                }
            }
        }
        else if (fieldStart >= 0)
        {
            AddField(fieldStart, fieldNameLength, fieldColon, fieldEnd, ref contentType, ref transferEncoding);
        }

        headers = _scratch.Count == 0 ? HeaderList.Empty : new HeaderList([.. _scratch]);
        return true;
    }

    private void AddField(int fieldStart, int nameLength, int colon, int fieldEnd, ref Header? contentType, ref Header? transferEncoding)
    {
        var header = new Header(_data[fieldStart..fieldEnd], nameLength, colon + 1, fieldStart);
        _scratch.Add(header);
        var span = _data.Span;
        if (nameLength == 12 && contentType is null && HeaderNames.Equals(span.Slice(fieldStart, 12), "Content-Type"))
        {
            contentType = header;
        }
        else if (nameLength == 25 && transferEncoding is null && HeaderNames.Equals(span.Slice(fieldStart, 25), "Content-Transfer-Encoding"))
        {
            transferEncoding = header;
        }
    }

    /// <summary>The length of a valid field name before the colon (trailing white space allowed, RFC 5322 obs-optional), or 0.</summary>
    private static int NameLength(ReadOnlySpan<byte> beforeColon)
    {
        int n = beforeColon.Length;
        while (n > 0 && beforeColon[n - 1] is (byte)' ' or (byte)'\t')
        {
            n--;
        }

        for (int i = 0; i < n; i++)
        {
            byte b = beforeColon[i];
            if (b < 33 || b > 126)
            {
                return 0;
            }
        }

        return n;
    }
}
