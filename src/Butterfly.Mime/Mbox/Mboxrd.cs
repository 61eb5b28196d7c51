namespace Butterfly.Mime.Mbox;

/// <summary>mboxrd quoting: "From " lines, with any number of leading "&gt;", gain or lose one "&gt;".</summary>
internal static class Mboxrd
{
    /// <summary>Whether the line at <paramref name="line"/> is "&gt;*From ".</summary>
    public static bool IsQuotedFrom(ReadOnlySpan<byte> line, out int gts)
    {
        gts = 0;
        while (gts < line.Length && line[gts] == (byte)'>')
        {
            gts++;
        }

        return line[gts..].StartsWith("From "u8);
    }

    /// <summary>Removes one "&gt;" from every "&gt;+From " line; returns the input itself when there is none.</summary>
    public static ReadOnlyMemory<byte> Unquote(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        if (!NeedsUnquote(span))
        {
            return message;
        }

        var output = new byte[span.Length];
        int written = 0;
        int pos = 0;
        while (pos < span.Length)
        {
            int nl = span[pos..].IndexOf((byte)'\n');
            int next = nl < 0 ? span.Length : pos + nl + 1;
            var line = span[pos..next];
            if (line.Length > 0 && line[0] == (byte)'>' && IsQuotedFrom(line, out _))
            {
                line = line[1..];
            }

            line.CopyTo(output.AsSpan(written));
            written += line.Length;
            pos = next;
        }

        return output.AsMemory(0, written);
    }

    private static bool NeedsUnquote(ReadOnlySpan<byte> span)
    {
        if (span.Length > 0 && span[0] == (byte)'>' && IsQuotedFrom(span, out _))
        {
            return true;
        }

        int pos = 0;
        while (true)
        {
            int i = span[pos..].IndexOf("\n>"u8);
            if (i < 0)
            {
                return false;
            }

            pos += i + 1;
            if (IsQuotedFrom(span[pos..], out _))
            {
                return true;
            }
        }
    }
}
