namespace Butterfly.Mime.Internal;

/// <summary>Lenient decoders for base64, quoted-printable and the RFC 2047 "Q" encoding.</summary>
internal static class TransferDecoder
{
    private static readonly sbyte[] Base64Values = BuildBase64Values();

    /// <summary>The largest output base64 decoding of <paramref name="length"/> bytes can produce.</summary>
    public static int MaxBase64Output(int length) => (int)Math.Min(int.MaxValue, (length / 4L * 3) + 3);

    /// <summary>
    /// Decodes base64, skipping every byte outside the alphabet (line breaks, spaces, garbage) and
    /// tolerating missing padding. Decoding stops at the first padding character.
    /// </summary>
    public static int DecodeBase64(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int written = 0;
        int acc = 0;
        int bits = 0;
        var table = Base64Values;
        foreach (var b in input)
        {
            if (b == (byte)'=')
            {
                break;
            }

            int v = table[b];
            if (v < 0)
            {
                continue;
            }

            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                output[written++] = (byte)(acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }

        return written;
    }

    /// <summary>Counts the bytes <see cref="DecodeBase64(ReadOnlySpan{byte}, Span{byte})"/> would produce, without decoding.</summary>
    public static long CountBase64(ReadOnlySpan<byte> input)
    {
        long sextets = 0;
        var table = Base64Values;
        foreach (var b in input)
        {
            if (b == (byte)'=')
            {
                break;
            }

            if (table[b] >= 0)
            {
                sextets++;
            }
        }

        return sextets * 6 / 8;
    }

    /// <summary>
    /// Decodes quoted-printable leniently: soft line breaks (with or without CR, with trailing
    /// white space before them) are removed, "=XX" in either case is decoded, and an "=" that
    /// starts no valid escape is kept as it is. The output is never longer than the input.
    /// </summary>
    public static int DecodeQuotedPrintable(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int written = 0;
        int i = 0;
        while (i < input.Length)
        {
            int eq = input[i..].IndexOf((byte)'=');
            if (eq < 0)
            {
                input[i..].CopyTo(output[written..]);
                written += input.Length - i;
                break;
            }

            input.Slice(i, eq).CopyTo(output[written..]);
            written += eq;
            i += eq;

            // i is at '='.
            if (IsHex(At(input, i + 1)) && IsHex(At(input, i + 2)))
            {
                output[written++] = (byte)((HexValue(input[i + 1]) << 4) | HexValue(input[i + 2]));
                i += 3;
                continue;
            }

            // Soft line break: '=' then optional white space then LF or CRLF (or the end).
            int j = i + 1;
            while (j < input.Length && (input[j] == (byte)' ' || input[j] == (byte)'\t'))
            {
                j++;
            }

            if (j == input.Length)
            {
                i = j;
                continue;
            }

            if (input[j] == (byte)'\n')
            {
                i = j + 1;
                continue;
            }

            if (input[j] == (byte)'\r')
            {
                i = j + 1 < input.Length && input[j + 1] == (byte)'\n' ? j + 2 : j + 1;
                continue;
            }

            output[written++] = (byte)'=';
            i++;
        }

        return written;
    }

    /// <summary>Decodes the RFC 2047 "Q" encoding: "_" is a space, "=XX" a byte.</summary>
    public static int DecodeQ(ReadOnlySpan<char> input, Span<byte> output)
    {
        int written = 0;
        for (int i = 0; i < input.Length; i++)
        {
            char c = input[i];
            if (c == '_')
            {
                output[written++] = (byte)' ';
            }
            else if (c == '=' && i + 2 < input.Length && IsHex(input[i + 1]) && IsHex(input[i + 2]))
            {
                output[written++] = (byte)((HexValue(input[i + 1]) << 4) | HexValue(input[i + 2]));
                i += 2;
            }
            else
            {
                output[written++] = c < 256 ? (byte)c : (byte)'?';
            }
        }

        return written;
    }

    /// <summary>Decodes base64 given as characters (RFC 2047 "B" encoding).</summary>
    public static int DecodeBase64(ReadOnlySpan<char> input, Span<byte> output)
    {
        int written = 0;
        int acc = 0;
        int bits = 0;
        var table = Base64Values;
        foreach (var c in input)
        {
            if (c == '=')
            {
                break;
            }

            int v = c < 128 ? table[c] : -1;
            if (v < 0)
            {
                continue;
            }

            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                output[written++] = (byte)(acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }

        return written;
    }

    private static int At(ReadOnlySpan<byte> s, int i) => i < s.Length ? s[i] : -1;

    public static bool IsHex(int c) => (uint)(c - '0') <= 9 || (uint)((c | 0x20) - 'a') <= 5;

    public static int HexValue(int c) => (uint)(c - '0') <= 9 ? c - '0' : (c | 0x20) - 'a' + 10;

    private static sbyte[] BuildBase64Values()
    {
        var t = new sbyte[256];
        Array.Fill(t, (sbyte)-1);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.Length; i++)
        {
            t[alphabet[i]] = (sbyte)i;
        }

        // URL-safe alphabet too: broken senders use it.
        t['-'] = 62;
        t['_'] = 63;
        return t;
    }
}
