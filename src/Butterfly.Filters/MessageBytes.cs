using MimeKit;

namespace Butterfly.Filters;

/// <summary>
/// Writes a MimeKit message as the bytes a filter hands to the server (a replaced message, an
/// injected one): CRLF line ends as RFC 5322 and the wire want them whatever the platform,
/// non-ASCII header text as encoded words (RFC 2047), and bodies 7-bit clean (quoted-printable or
/// base64 where needed), so the message may leave through any SMTP server unchanged.
/// </summary>
public static class MessageBytes
{
    // MimeKit's default follows the platform (LF on Linux); the server stores what it is given.
    private static readonly FormatOptions _format = CreateFormat();

    /// <summary>
    /// The bytes of <paramref name="message"/>, written now (later changes to it are not in them).
    /// Parts whose content is not 7-bit get a transfer encoding set on them first.
    /// </summary>
    /// <param name="message">The message.</param>
    public static byte[] Of(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Prepare(EncodingConstraint.SevenBit);
        using var stream = new MemoryStream();
        message.WriteTo(_format, stream);
        return stream.ToArray();
    }

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.International = false;
        return format;
    }
}
