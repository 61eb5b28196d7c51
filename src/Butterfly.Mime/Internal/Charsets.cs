using System.Collections.Concurrent;
using System.Text;

namespace Butterfly.Mime.Internal;

/// <summary>Charset lookup (with the code-pages provider registered once) and byte-to-text decoding.</summary>
internal static class Charsets
{
    private static readonly ConcurrentDictionary<string, Encoding?> Cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Windows-1252, the usual real meaning of "iso-8859-1" and of undeclared 8-bit text.</summary>
    public static readonly Encoding Windows1252;

    public static readonly Encoding Utf8 = new UTF8Encoding(false, false);

    static Charsets()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252);
    }

    /// <summary>Finds the encoding for a MIME charset name, or null when the runtime has none.</summary>
    public static Encoding? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        return Cache.GetOrAdd(name.Trim().Trim('"'), Lookup);
    }

    private static Encoding? Lookup(string name)
    {
        var n = name.ToLowerInvariant();
        switch (n)
        {
            case "utf8":
            case "utf-8":
            case "x-unicode20utf8":
                return Utf8;
            case "us-ascii":
            case "ascii":
            case "iso-8859-1":
            case "latin1":
            case "latin-1":
            case "iso8859-1":
            case "iso_8859-1":
                // Real mail labelled ASCII or Latin-1 is usually Windows-1252 (a superset for printable text).
                return Windows1252;
            case "ks_c_5601-1987":
                n = "cp949";
                break;
        }

        if (n.StartsWith("iso8859-", StringComparison.Ordinal))
        {
            n = "iso-8859-" + n[8..];
        }

        try
        {
            return Encoding.GetEncoding(n);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Decodes bytes in a named charset; an unknown charset falls back to <see cref="DecodeUnknown"/>.</summary>
    public static string Decode(string? charset, ReadOnlySpan<byte> bytes)
    {
        // "us-ascii" labels on 8-bit text are common and wrong: decide by the bytes.
        if (charset is not null && (charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase) || charset.Equals("ascii", StringComparison.OrdinalIgnoreCase)))
        {
            return DecodeUnknown(bytes);
        }

        var enc = Find(charset);
        return enc is null ? DecodeUnknown(bytes) : enc.GetString(bytes);
    }

    /// <summary>
    /// Decodes header or body bytes whose charset is not declared: ASCII as is, valid UTF-8 as
    /// UTF-8 (RFC 6532), anything else as Windows-1252.
    /// </summary>
    public static string DecodeUnknown(ReadOnlySpan<byte> bytes)
    {
        if (Ascii.IsValid(bytes))
        {
            return Encoding.Latin1.GetString(bytes);
        }

        return System.Text.Unicode.Utf8.IsValid(bytes) ? Utf8.GetString(bytes) : Windows1252.GetString(bytes);
    }
}
