using System.Buffers;

namespace Butterfly.Mime.Internal;

/// <summary>Unfolding of raw header values into strings.</summary>
internal static class HeaderText
{
    private static readonly SearchValues<byte> LineBreaks = SearchValues.Create("\r\n"u8);

    /// <summary>
    /// Removes the line breaks of folding (keeping the white space that follows them), trims the
    /// value and decodes its bytes (UTF-8 when valid, else Windows-1252).
    /// </summary>
    public static string Unfold(ReadOnlySpan<byte> raw)
    {
        raw = Trim(raw);
        if (raw.IndexOfAny(LineBreaks) < 0)
        {
            return Charsets.DecodeUnknown(raw);
        }

        byte[]? rented = null;
        Span<byte> buffer = raw.Length <= 512 ? stackalloc byte[raw.Length] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        int n = 0;
        foreach (var b in raw)
        {
            if (b != (byte)'\r' && b != (byte)'\n')
            {
                buffer[n++] = b;
            }
        }

        var s = Charsets.DecodeUnknown(buffer[..n]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return s;
    }

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        int a = 0;
        int b = s.Length;
        while (a < b && IsSpace(s[a]))
        {
            a++;
        }

        while (b > a && IsSpace(s[b - 1]))
        {
            b--;
        }

        return s[a..b];
    }

    public static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
