using MimeKit;

namespace Butterfly.Server.Mail;

/// <summary>
/// Writes a message MimeKit composed as the bytes the server stores and sends: CRLF line ends,
/// every part's transfer encoding chosen for 7-bit transport (quoted-printable or base64 where the
/// content needs it), header text outside ASCII as RFC 2047 encoded words.
/// </summary>
internal static class MessageWriter
{
    private static readonly FormatOptions _format = CreateFormat();

    /// <summary>The message as RFC 5322 bytes.</summary>
    /// <param name="message">A message composed with MimeKit.</param>
    public static byte[] ToBytes(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Prepare(EncodingConstraint.SevenBit);
        using var buffer = new MemoryStream();
        message.WriteTo(_format, buffer);
        return buffer.ToArray();
    }

    private static FormatOptions CreateFormat()
    {
        // The default follows the platform (LF here); RFC 5322 wants CRLF.
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
