using System.Text;
using Butterfly.Server.Dkim;
using MimeKit;

namespace Butterfly.Server.Smtp.Outbound;

/// <summary>
/// Puts a queued message in the form one SMTP server can take, then signs it: 8-bit parts re-encoded as
/// quoted-printable or base64 for a server without 8BITMIME (RFC 6152), raw UTF-8 header fields re-encoded as RFC 2047
/// words for one without SMTPUTF8 (RFC 6531; an address whose local part is not ASCII cannot be downgraded and is
/// refused by that server). Signing comes last, so the signature covers the bytes that go out.
/// </summary>
internal static class OutgoingMessage
{
    /// <summary>Downgrades <paramref name="message"/> as the server needs, and signs it with <paramref name="keys"/>.</summary>
    /// <param name="message">The message as queued, parsed; changed in place.</param>
    /// <param name="eightBit">Whether the server offers 8BITMIME.</param>
    /// <param name="utf8">Whether the server offers SMTPUTF8.</param>
    /// <param name="keys">The signing domain's DKIM keys (none: unsigned).</param>
    /// <returns>The options to write the message with.</returns>
    public static FormatOptions Prepare(MimeMessage message, bool eightBit, bool utf8, IReadOnlyList<DkimKey> keys)
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.International = utf8;
        if (!eightBit)
        {
            // RFC 6152: without 8BITMIME only 7-bit data may follow DATA; MimeKit picks QP or base64 per part.
            message.Prepare(EncodingConstraint.SevenBit, 998);
        }

        if (!utf8)
        {
            DowngradeHeaders(message.Headers, format);
            foreach (var part in message.BodyParts)
            {
                DowngradeHeaders(part.Headers, format);
            }
        }

        DkimSigning.Sign(message, keys, format);
        return format;
    }

    private static void DowngradeHeaders(HeaderList headers, FormatOptions format)
    {
        foreach (var header in headers)
        {
            if (header.RawValue.Any(b => b >= 0x80))
            {
                // Decoded and written again: with International off, MimeKit encodes the non-ASCII words (RFC 2047).
                header.SetValue(format, Encoding.UTF8, header.Value);
            }
        }
    }
}
