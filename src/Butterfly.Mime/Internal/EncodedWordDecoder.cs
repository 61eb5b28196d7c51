using System.Buffers;
using System.Text;

namespace Butterfly.Mime.Internal;

/// <summary>
/// Decodes RFC 2047 encoded words. Adjacent encoded words in the same charset are joined at the
/// byte level before charset decoding, so a character split across two words comes out whole.
/// White space between two encoded words is dropped, as the RFC says.
/// </summary>
internal static class EncodedWordDecoder
{
    /// <summary>Decodes every encoded word in <paramref name="text"/>; text without "=?" is returned as is.</summary>
    public static string Decode(string text)
    {
        if (!text.Contains("=?", StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        byte[] pending = ArrayPool<byte>.Shared.Rent(text.Length);
        int pendingLength = 0;
        string? pendingCharset = null;
        bool lastWasWord = false;
        int i = 0;
        try
        {
            while (i < text.Length)
            {
                int start = text.IndexOf("=?", i, StringComparison.Ordinal);
                if (start < 0 || !TryParseWord(text, start, out var charset, out var encoding, out var payloadStart, out var payloadLength, out var end))
                {
                    int stop = start < 0 ? text.Length : start + 2;
                    Flush(sb, pending, ref pendingLength, pendingCharset);
                    sb.Append(text, i, stop - i);
                    lastWasWord = false;
                    i = stop;
                    continue;
                }

                var between = text.AsSpan(i, start - i);
                bool onlySpace = between.IsWhiteSpace();
                if (!(lastWasWord && onlySpace))
                {
                    Flush(sb, pending, ref pendingLength, pendingCharset);
                    sb.Append(between);
                }
                else if (!string.Equals(pendingCharset, charset, StringComparison.OrdinalIgnoreCase))
                {
                    Flush(sb, pending, ref pendingLength, pendingCharset);
                }

                pendingCharset = charset;
                var payload = text.AsSpan(payloadStart, payloadLength);
                pendingLength += encoding == 'B'
                    ? TransferDecoder.DecodeBase64(payload, pending.AsSpan(pendingLength))
                    : TransferDecoder.DecodeQ(payload, pending.AsSpan(pendingLength));
                lastWasWord = true;
                i = end;
            }

            Flush(sb, pending, ref pendingLength, pendingCharset);
            return sb.ToString();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pending);
        }
    }

    private static void Flush(StringBuilder sb, byte[] pending, ref int length, string? charset)
    {
        if (length > 0)
        {
            sb.Append(Charsets.Decode(charset, pending.AsSpan(0, length)));
            length = 0;
        }
    }

    /// <summary>Parses "=?charset[*lang]?B|Q?payload?=" at <paramref name="start"/>.</summary>
    private static bool TryParseWord(string text, int start, out string charset, out char encoding, out int payloadStart, out int payloadLength, out int end)
    {
        charset = string.Empty;
        encoding = '\0';
        payloadStart = payloadLength = end = 0;
        int q1 = text.IndexOf('?', start + 2, Math.Min(text.Length - start - 2, 66));
        if (q1 < 0 || q1 == start + 2 || q1 + 3 >= text.Length || text[q1 + 2] != '?')
        {
            return false;
        }

        var cs = text.AsSpan(start + 2, q1 - start - 2);
        if (cs.ContainsAny(' ', '\t', '=') || cs.Length > 64)
        {
            return false;
        }

        char e = char.ToUpperInvariant(text[q1 + 1]);
        if (e != 'B' && e != 'Q')
        {
            return false;
        }

        payloadStart = q1 + 3;

        // The payload holds no white space; looking further than the next space (or 4 KB) only costs time.
        var window = text.AsSpan(payloadStart, Math.Min(text.Length - payloadStart, 4096));
        int ws = window.IndexOfAny(' ', '\t');
        if (ws >= 0)
        {
            window = window[..(ws + 1)];
        }

        int close = window.IndexOf("?=");
        if (close < 0)
        {
            return false;
        }

        payloadLength = close;
        close += payloadStart;

        int star = cs.IndexOf('*');
        charset = (star >= 0 ? cs[..star] : cs).ToString();
        encoding = e;
        end = close + 2;
        return true;
    }
}
