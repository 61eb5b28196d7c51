namespace Butterfly.Mime.Mbox;

/// <summary>Separator search shared by the in-memory and stream readers.</summary>
internal static class MboxSplitter
{
    public static IEnumerable<MboxEntry> Split(ReadOnlyMemory<byte> mbox)
    {
        int pos = Internal.ByteOrderMark.Length(mbox.Span);
        while (true)
        {
            int from = FindSeparator(mbox.Span, pos);
            if (from < 0)
            {
                yield break;
            }

            int lineEnd = mbox.Span[from..].IndexOf((byte)'\n');
            int bodyStart = lineEnd < 0 ? mbox.Length : from + lineEnd + 1;
            int next = FindSeparator(mbox.Span, bodyStart);
            int end = next < 0 ? mbox.Length : next;
            int messageEnd = MessageEnd(mbox.Span, bodyStart, end);
            yield return new MboxEntry(FromLine(mbox.Span, from, bodyStart), Mboxrd.Unquote(mbox[bodyStart..messageEnd]), from);
            pos = end;
        }
    }

    /// <summary>The start of the first "From " line at or after <paramref name="pos"/> (a line start), or -1.</summary>
    public static int FindSeparator(ReadOnlySpan<byte> data, int pos)
    {
        if (pos >= data.Length)
        {
            return -1;
        }

        if (data[pos..].StartsWith("From "u8))
        {
            return pos;
        }

        int i = data[pos..].IndexOf("\nFrom "u8);
        return i < 0 ? -1 : pos + i + 1;
    }

    /// <summary>The end of the message before the separator at <paramref name="end"/>: the blank line before a separator belongs to it.</summary>
    public static int MessageEnd(ReadOnlySpan<byte> data, int bodyStart, int end)
    {
        if (end - bodyStart >= 2 && data[end - 1] == (byte)'\n')
        {
            int before = end - 1;
            if (before > bodyStart && data[before - 1] == (byte)'\r')
            {
                before--;
            }

            if (before > bodyStart && data[before - 1] == (byte)'\n')
            {
                return before;
            }
        }

        return end;
    }

    public static string FromLine(ReadOnlySpan<byte> data, int from, int bodyStart)
    {
        var s = data[Math.Min(from + 5, bodyStart)..bodyStart];
        while (s.Length > 0 && (s[^1] == (byte)'\n' || s[^1] == (byte)'\r'))
        {
            s = s[..^1];
        }

        return Internal.Charsets.DecodeUnknown(s);
    }
}
