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

    /// <summary>
    /// An empty message to compose. The caller disposes it once written: MimeKit's messages and
    /// parts have finalizers, and one left to the finalizer costs more CPU than composing it. Nor
    /// is it made with the parameterless constructor, which fills in fields (an empty From, To and
    /// Subject, a Date, a made-up Message-ID) that a compose only replaces.
    /// </summary>
    public static MimeMessage NewMessage() => new((IEnumerable<Header>)[]);

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
