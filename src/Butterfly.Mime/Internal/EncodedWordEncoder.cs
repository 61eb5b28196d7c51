using System.Text;

namespace Butterfly.Mime.Internal;

/// <summary>
/// Encodes text as RFC 2047 encoded words in UTF-8, each at most 75 characters, never splitting
/// a character between words; B or Q is chosen by which is shorter.
/// </summary>
internal static class EncodedWordEncoder
{
    private const int MaxPayload = 75 - 12; // "=?utf-8?B?" + "?=" around the payload.

    /// <summary>Whether text must be encoded to travel in an ASCII header.</summary>
    public static bool NeedsEncoding(string text)
    {
        foreach (var c in text)
        {
            if (c > 126 || (c < 32 && c != '\t'))
            {
                return true;
            }
        }

        return text.Contains("=?", StringComparison.Ordinal);
    }

    /// <summary>Encodes <paramref name="text"/>; the first word is at most <paramref name="firstLimit"/> characters.</summary>
    public static List<string> Encode(string text, int firstLimit = 75)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        int qCost = 0;
        foreach (var b in bytes)
        {
            qCost += QSafe(b) || b == (byte)' ' ? 1 : 3;
        }

        bool useB = qCost > (bytes.Length * 4 / 3) + 2;
        var words = new List<string>();
        var chunk = new List<byte>();
        int chunkCost = 0;
        Span<byte> runeBytes = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            int n = rune.EncodeToUtf8(runeBytes);
            int cost = 0;
            for (int k = 0; k < n; k++)
            {
                cost += QSafe(runeBytes[k]) || runeBytes[k] == (byte)' ' ? 1 : 3;
            }

            int max = words.Count == 0 ? Math.Clamp(firstLimit - 12, 8, MaxPayload) : MaxPayload;
            bool fits = useB ? ((chunk.Count + n + 2) / 3 * 4) <= max : chunkCost + cost <= max;
            if (!fits && chunk.Count > 0)
            {
                words.Add(Word(chunk, useB));
                chunk.Clear();
                chunkCost = 0;
            }

            for (int k = 0; k < n; k++)
            {
                chunk.Add(runeBytes[k]);
            }

            chunkCost += cost;
        }

        if (chunk.Count > 0 || words.Count == 0)
        {
            words.Add(Word(chunk, useB));
        }

        return words;
    }

    private static string Word(List<byte> chunk, bool useB)
    {
        var sb = new StringBuilder(75);
        sb.Append(useB ? "=?utf-8?B?" : "=?utf-8?Q?");
        if (useB)
        {
            sb.Append(Convert.ToBase64String(chunk.ToArray()));
        }
        else
        {
            foreach (var b in chunk)
            {
                if (b == (byte)' ')
                {
                    sb.Append('_');
                }
                else if (QSafe(b))
                {
                    sb.Append((char)b);
                }
                else
                {
                    sb.Append('=').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return sb.Append("?=").ToString();
    }

    /// <summary>Characters allowed unencoded in a Q word anywhere, phrases included (RFC 2047 5(3)).</summary>
    private static bool QSafe(byte b) =>
        (b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z') || (b >= (byte)'0' && b <= (byte)'9')
        || b is (byte)'!' or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'/';
}
