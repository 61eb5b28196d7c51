using System.Runtime.CompilerServices;

namespace Butterfly.Mime.Internal;

/// <summary>
/// The MIME tree parser. It works over one contiguous buffer, keeps headers as byte ranges, and
/// finds delimiters with vectorized searches for "\n--". Recursion is bounded by
/// <see cref="ParserOptions.MaxDepth"/> and by a stack check; every loop advances.
/// </summary>
internal sealed partial class MimeParser
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly ParserOptions _options;
    private readonly int _end;
    private readonly List<byte[]> _boundaries = [];
    private readonly List<Header> _scratch = [];
    private int _parts;

    public MimeParser(ReadOnlyMemory<byte> data, ParserOptions options)
    {
        _data = data;
        _options = options;
        _end = data.Length;
    }

    public MimeError Error { get; private set; }

    public MimeMessage? ParseMessage()
    {
        var root = ParseEntity(ByteOrderMark.Length(_data.Span), 0, false, true, out _);
        return root is null ? null : new MimeMessage(root, _data);
    }

    private MimeEntity? Fail(MimeError error)
    {
        Error = error;
        return null;
    }

    /// <summary>Parses the entity starting at <paramref name="start"/>, at nesting <paramref name="depth"/>.</summary>
    /// <param name="start">The first byte of the entity.</param>
    /// <param name="depth">The nesting depth.</param>
    /// <param name="digestChild">Whether the parent is multipart/digest (default type message/rfc822).</param>
    /// <param name="message">Whether the entity is a message (top level or inside message/rfc822), which may start with an mbox "From " line.</param>
    /// <param name="stop">Where the entity stopped: the start of a delimiter line of an enclosing multipart, or the end.</param>
    private MimeEntity? ParseEntity(int start, int depth, bool digestChild, bool message, out int stop)
    {
        stop = _end;
        if (depth > _options.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return Fail(MimeError.TooDeep);
        }

        if (++_parts > _options.MaxParts)
        {
            return Fail(MimeError.TooManyParts);
        }

        if (!ParseHeaders(ref start, message, out var headers, out int bodyStart, out var ctHeader, out var cteHeader))
        {
            return null;
        }

        ContentType contentType;
        if (ctHeader is null)
        {
            contentType = digestChild ? ContentType.MessageRfc822 : ContentType.TextPlain;
        }
        else if (!ContentType.TryParse(ctHeader.Value, _options.MaxParameters, out contentType))
        {
            return Fail(MimeError.TooManyParameters);
        }

        if (_boundaries.Count > 0 && bodyStart > start && EnclosingDelimiterAt(bodyStart, contentType))
        {
            // A delimiter of an enclosing multipart right after the header block: the line break
            // before it is the delimiter's (RFC 2046 5.1.1), even when it also ends the block, so
            // the block ends before it and the body is empty.
            bodyStart = BodyEnd(start, bodyStart);
        }

        var entity = new MimeEntity(_data, headers, contentType, start, bodyStart - start, cteHeader, _options.MaxParameters);
        int bodyEnd;
        if (contentType.IsMultipart && contentType.Boundary is { Length: > 0 } boundary)
        {
            if (!ParseMultipart(entity, boundary, bodyStart, depth, out stop, out bodyEnd))
            {
                return null;
            }
        }
        else if (contentType.MediaType == "message" && contentType.MediaSubtype is "rfc822" or "global" && IsIdentityEncoding(cteHeader))
        {
            var inner = ParseEntity(bodyStart, depth + 1, false, true, out stop);
            if (inner is null)
            {
                return null;
            }

            entity.Message = new MimeMessage(inner, _data);
            bodyEnd = BodyEnd(bodyStart, stop);
        }
        else
        {
            stop = FindDelimiter(bodyStart, out _, out _);
            bodyEnd = BodyEnd(bodyStart, stop);
        }

        entity.BodyLength = bodyEnd - bodyStart;
        return entity;
    }

    /// <summary>Whether the line at <paramref name="pos"/> is an enclosing multipart's delimiter, not one of the entity's own boundary.</summary>
    private bool EnclosingDelimiterAt(int pos, ContentType contentType)
    {
        if (pos >= _end || _data.Span[pos] != (byte)'-' || !Classify(pos, out _, out _))
        {
            return false;
        }

        return !(contentType.IsMultipart && contentType.Boundary is { Length: > 0 } own
            && _data.Span[(pos + 2).._end].StartsWith(System.Text.Encoding.UTF8.GetBytes(own)));
    }

    private static bool IsIdentityEncoding(Header? cte)
    {
        if (cte is null)
        {
            return true;
        }

        var v = cte.Value;
        return !v.Contains("base64", StringComparison.OrdinalIgnoreCase) && !v.Contains("quoted", StringComparison.OrdinalIgnoreCase);
    }

    private bool ParseMultipart(MimeEntity entity, string boundary, int bodyStart, int depth, out int stop, out int bodyEnd)
    {
        var own = System.Text.Encoding.UTF8.GetBytes(boundary);
        _boundaries.Add(own);
        int level = _boundaries.Count - 1;
        bool popped = false;
        try
        {
            int line = FindDelimiter(bodyStart, out int matched, out bool close);
            entity.Preamble = _data[bodyStart..BodyEnd(bodyStart, line)];
            if (line == _end || matched != level)
            {
                // No delimiter of our own: the whole body is preamble.
                if (_options.Strict)
                {
                    Error = MimeError.Malformed;
                    stop = bodyEnd = 0;
                    return false;
                }

                entity.MissingCloseDelimiter = true;
                stop = line;
                bodyEnd = BodyEnd(bodyStart, line);
                return true;
            }

            var span = _data.Span;
            var children = new List<MimeEntity>();
            entity.Children = children;
            bool digest = entity.ContentType.MediaSubtype == "digest";
            while (true)
            {
                if (close)
                {
                    _boundaries.RemoveAt(level);
                    popped = true;
                    int epilogueStart = NextLine(line);
                    stop = FindDelimiter(epilogueStart, out _, out _);
                    bodyEnd = BodyEnd(bodyStart, stop);
                    entity.Epilogue = _data[Math.Min(epilogueStart, bodyEnd)..bodyEnd];
                    return true;
                }

                int childStart = NextLine(line);
                int childStop = childStart;
                if (childStart < _end && span[childStart] == (byte)'-' && Classify(childStart, out matched, out close))
                {
                    // A delimiter right after a delimiter: no part between them (MimeKit and
                    // Python's email agree), not an empty one.
                    if (matched == level)
                    {
                        line = childStart;
                        continue;
                    }
                }
                else
                {
                    var child = ParseEntity(childStart, depth + 1, digest, false, out childStop);
                    if (child is null)
                    {
                        stop = bodyEnd = 0;
                        return false;
                    }

                    children.Add(child);
                }

                if (childStop == _end || !Classify(childStop, out matched, out close) || matched != level)
                {
                    if (_options.Strict)
                    {
                        Error = MimeError.Malformed;
                        stop = bodyEnd = 0;
                        return false;
                    }

                    entity.MissingCloseDelimiter = true;
                    stop = childStop;
                    bodyEnd = BodyEnd(bodyStart, childStop);
                    return true;
                }

                line = childStop;
            }
        }
        finally
        {
            if (!popped)
            {
                _boundaries.RemoveAt(level);
            }
        }
    }

    /// <summary>The end of a body that stops at <paramref name="stop"/>: the line break before a delimiter belongs to the delimiter.</summary>
    private int BodyEnd(int bodyStart, int stop)
    {
        if (stop >= _end)
        {
            return _end;
        }

        var span = _data.Span;
        int e = stop;
        if (e > bodyStart && span[e - 1] == (byte)'\n')
        {
            e--;
            if (e > bodyStart && span[e - 1] == (byte)'\r')
            {
                e--;
            }
        }

        return e;
    }

    private int NextLine(int pos)
    {
        if (pos >= _end)
        {
            return _end;
        }

        int nl = _data.Span[pos.._end].IndexOf((byte)'\n');
        return nl < 0 ? _end : pos + nl + 1;
    }
}
