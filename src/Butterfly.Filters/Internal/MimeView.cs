using System.Runtime.InteropServices;
using MimeKit;

namespace Butterfly.Filters.Internal;

/// <summary>The outcome of parsing a filter message with MimeKit: the message, or why there is none.</summary>
/// <param name="Message">The parsed message.</param>
/// <param name="Error">Why parsing failed, when <paramref name="Message"/> is null.</param>
internal sealed record MimeView(MimeMessage? Message, string? Error)
{
    /// <summary>
    /// The deepest nesting parsed: 100, like the server's scanner (Butterfly.Mime's ParserOptions.MaxDepth).
    /// MimeKit keeps anything deeper as an opaque part instead of failing, and has no other limit,
    /// so this bounds the recursion a hostile message can cause in a filter.
    /// </summary>
    public const int MaxDepth = 100;

    // Shared by every parse: MimeKit only reads its options.
    private static readonly ParserOptions _options = new() { MaxMimeDepth = MaxDepth };

    /// <summary>Parses <paramref name="raw"/> once; never throws for bad input.</summary>
    public static MimeView Parse(ReadOnlyMemory<byte> raw)
    {
        // Over the bytes themselves, read-only: the raw message is neither copied first nor changed.
        using var stream = MemoryMarshal.TryGetArray(raw, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(raw.ToArray(), writable: false);
        try
        {
            // Not persistent: the parts own their content, so nothing keeps reading the stream later.
            return new MimeView(MimeMessage.Load(_options, stream, persistent: false), null);
        }
        catch (FormatException ex)
        {
            return new MimeView(null, $"The message cannot be read as MIME ({raw.Length} bytes): {ex.Message}");
        }
    }

    /// <summary>The text body, else the HTML body as text, else empty.</summary>
    public static string TextOf(MimeMessage message)
    {
        if (message.TextBody is { } text)
        {
            return text;
        }

        return message.HtmlBody is { } html ? HtmlText.Convert(html) : string.Empty;
    }
}
