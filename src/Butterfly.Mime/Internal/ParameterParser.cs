using System.Buffers;
using System.Text;

namespace Butterfly.Mime.Internal;

/// <summary>
/// Parses the "; name=value" parameter list of Content-Type and Content-Disposition, joining
/// RFC 2231 continuations (name*0, name*1*, ...) and decoding RFC 2231 charsets and (leniently)
/// RFC 2047 encoded words in quoted values.
/// </summary>
internal static class ParameterParser
{
    /// <summary>Parses the parameters starting at <paramref name="i"/>.</summary>
    /// <returns>False when there are more than <paramref name="maxParameters"/> raw parameters.</returns>
    public static bool TryParse(string text, int i, int maxParameters, out List<KeyValuePair<string, string>> result) =>
        TryParse(text, i, maxParameters, truncate: false, out result);

    /// <summary>Parses the parameters; past the limit it fails, or with <paramref name="truncate"/> keeps the first ones.</summary>
    public static bool TryParse(string text, int i, int maxParameters, bool truncate, out List<KeyValuePair<string, string>> result)
    {
        result = [];
        List<RawParameter>? raw = null;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ';' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            if (i >= text.Length)
            {
                break;
            }

            int nameStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ';')
            {
                i++;
            }

            var name = text.AsSpan(nameStart, i - nameStart).Trim();
            if (i >= text.Length || text[i] == ';' || name.Length == 0)
            {
                // No name, or no value: skip this item (always advancing).
                if (i < text.Length && text[i] == '=')
                {
                    i++;
                }

                continue;
            }

            i++; // '='
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            string value;
            bool quoted = false;
            if (i < text.Length && text[i] == '"')
            {
                quoted = true;
                value = ReadQuoted(text, ref i);

                // Junk after the closing quote, up to the next ';', is dropped.
                while (i < text.Length && text[i] != ';')
                {
                    i++;
                }
            }
            else
            {
                int vs = i;
                while (i < text.Length && text[i] != ';')
                {
                    i++;
                }

                value = text.AsSpan(vs, i - vs).Trim().ToString();
            }

            raw ??= [];
            if (raw.Count >= maxParameters)
            {
                if (!truncate)
                {
                    return false;
                }

                break;
            }

            raw.Add(new RawParameter(name.ToString(), value, quoted));
        }

        if (raw is not null)
        {
            Combine(raw, result);
        }

        return true;
    }

    private static string ReadQuoted(string text, ref int i)
    {
        // Fast path: no quoted pairs before the closing quote.
        int close = text.IndexOf('"', i + 1);
        if (close > 0 && text.AsSpan(i + 1, close - i - 1).IndexOf('\\') < 0)
        {
            var value = text.Substring(i + 1, close - i - 1);
            i = close + 1;
            return value;
        }

        var sb = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                sb.Append(text[i + 1]);
                i += 2;
                continue;
            }

            i++;
            if (c == '"')
            {
                break;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static void Combine(List<RawParameter> raw, List<KeyValuePair<string, string>> result)
    {
        // Fast path: no RFC 2231 names.
        bool any2231 = false;
        foreach (var p in raw)
        {
            any2231 |= p.Name.Contains('*', StringComparison.Ordinal);
        }

        if (!any2231)
        {
            foreach (var p in raw)
            {
                AddUnique(result, p.Name, DecodePlain(p));
            }

            return;
        }

        var sections = new Dictionary<string, List<(int Index, string Value, bool Extended)>>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        foreach (var p in raw)
        {
            int star = p.Name.IndexOf('*', StringComparison.Ordinal);
            if (star < 0)
            {
                if (!sections.ContainsKey(p.Name))
                {
                    AddUnique(result, p.Name, DecodePlain(p));
                }

                continue;
            }

            var baseName = p.Name[..star];
            var rest = p.Name.AsSpan(star + 1);
            bool extended = rest.EndsWith("*");
            if (extended)
            {
                rest = rest[..^1];
            }

            int index = 0;
            if (rest.Length == 0)
            {
                extended = true; // "name*=" is the single-section extended form.
            }
            else if (!int.TryParse(rest, out index) || index < 0)
            {
                continue;
            }

            if (!sections.TryGetValue(baseName, out var list))
            {
                sections[baseName] = list = [];
                order.Add(baseName);
            }

            list.Add((index, p.Value, extended));
        }

        foreach (var name in order)
        {
            var list = sections[name];
            list.Sort((a, b) => a.Index.CompareTo(b.Index));
            string? charset = null;
            var bytes = new ArrayBufferWriter<byte>();
            for (int k = 0; k < list.Count; k++)
            {
                var (_, value, extended) = list[k];
                if (extended)
                {
                    var v = value.AsSpan();
                    if (k == 0)
                    {
                        // charset'language'data
                        int q1 = v.IndexOf('\'');
                        int q2 = q1 < 0 ? -1 : v[(q1 + 1)..].IndexOf('\'');
                        if (q1 >= 0 && q2 >= 0)
                        {
                            charset = v[..q1].ToString();
                            v = v[(q1 + q2 + 2)..];
                        }
                    }

                    PercentDecode(v, bytes);
                }
                else
                {
                    bytes.Write(Charsets.Utf8.GetBytes(value));
                }
            }

            // A plain value given alongside wins only when no extended form exists, so replace it.
            result.RemoveAll(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase));
            var decoded = charset is null ? Charsets.DecodeUnknown(bytes.WrittenSpan) : Charsets.Decode(charset, bytes.WrittenSpan);
            result.Add(new(name, decoded));
        }
    }

    private static string DecodePlain(RawParameter p) =>
        p.Value.Contains("=?", StringComparison.Ordinal) ? EncodedWordDecoder.Decode(p.Value) : p.Value;

    private static void AddUnique(List<KeyValuePair<string, string>> result, string name, string value)
    {
        foreach (var kv in result)
        {
            if (string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return; // The first of duplicate parameters wins.
            }
        }

        result.Add(new(name, value));
    }

    private static void PercentDecode(ReadOnlySpan<char> v, ArrayBufferWriter<byte> output)
    {
        for (int i = 0; i < v.Length; i++)
        {
            char c = v[i];
            if (c == '%' && i + 2 < v.Length && TransferDecoder.IsHex(v[i + 1]) && TransferDecoder.IsHex(v[i + 2]))
            {
                output.GetSpan(1)[0] = (byte)((TransferDecoder.HexValue(v[i + 1]) << 4) | TransferDecoder.HexValue(v[i + 2]));
                output.Advance(1);
                i += 2;
            }
            else if (c < 128)
            {
                output.GetSpan(1)[0] = (byte)c;
                output.Advance(1);
            }
            else
            {
                output.Write(Charsets.Utf8.GetBytes(c.ToString()));
            }
        }
    }

    private readonly record struct RawParameter(string Name, string Value, bool Quoted);
}
