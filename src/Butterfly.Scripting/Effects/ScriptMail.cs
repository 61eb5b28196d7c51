using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Text;

namespace Butterfly.Scripting;

/// <summary>Writes the RFC 5322 message for a <see cref="SendEffect"/> (MimeKit), byte for byte the same for the same inputs.</summary>
public static class ScriptMail
{
    /// <summary>
    /// Builds the message: From <paramref name="fromAddress"/>, the effect's recipients, subject, extra
    /// headers, In-Reply-To/References, and text and/or HTML (multipart/alternative when both).
    /// </summary>
    /// <remarks>
    /// Nothing in the output depends on the clock or on randomness: the Date is <paramref name="date"/>,
    /// and the Message-ID and MIME boundary are derived from <paramref name="seed"/> and the effect, so a
    /// re-run after a crash writes the same bytes. Give each effect of a run its own seed
    /// (<see cref="EffectSeed"/>), or two identical sends of one run get one Message-ID.
    /// </remarks>
    public static byte[] Compose(SendEffect effect, string fromAddress, string messageIdDomain, DateTimeOffset date, long seed)
    {
        ArgumentNullException.ThrowIfNull(effect);
        var token = Token(effect, fromAddress, seed);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("", fromAddress));
        message.To.AddRange(effect.To.Select(address => new MailboxAddress("", address)));
        message.Cc.AddRange(effect.Cc.Select(address => new MailboxAddress("", address)));
        message.Subject = effect.Subject;
        message.Date = date;
        message.MessageId = $"script.{token[..24]}@{messageIdDomain}";
        if (effect.InReplyTo is { Length: > 0 } inReplyTo)
        {
            message.InReplyTo = inReplyTo;
        }

        foreach (var reference in effect.References)
        {
            message.References.Add(reference);
        }

        foreach (var header in effect.Headers)
        {
            message.Headers.Add(header.Key, header.Value);
        }

        message.Body = Body(effect, token);

        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        using var output = new MemoryStream();
        message.WriteTo(format, output);
        return output.ToArray();
    }

    /// <summary>A seed for the <paramref name="effectIndex"/>-th effect of a run seeded with <paramref name="runSeed"/>.</summary>
    public static long EffectSeed(long runSeed, int effectIndex)
    {
        // SplitMix64's finaliser: neighbouring indexes give unrelated seeds.
        var z = unchecked((ulong)runSeed + (0x9E3779B97F4A7C15UL * (ulong)(effectIndex + 1)));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return unchecked((long)(z ^ (z >> 31)));
    }

    private static MimeEntity Body(SendEffect effect, string token)
    {
        if (effect.Text is not null && effect.Html is not null)
        {
            var alternative = new Multipart("alternative") { Boundary = $"=_script_{token[24..48]}" };
            alternative.Add(Part(TextFormat.Plain, effect.Text));
            alternative.Add(Part(TextFormat.Html, effect.Html));
            return alternative;
        }

        return effect.Html is not null ? Part(TextFormat.Html, effect.Html) : Part(TextFormat.Plain, effect.Text ?? "");
    }

    private static TextPart Part(TextFormat format, string text)
    {
        var part = new TextPart(format);
        part.SetText(Encoding.UTF8, text);
        // 7bit when it is plain ASCII with short lines, else quoted-printable or base64: any relay can carry it.
        part.ContentTransferEncoding = part.GetBestEncoding(EncodingConstraint.SevenBit);
        return part;
    }

    // Hex SHA-256 of the seed and everything the effect says: the same inputs give the same token.
    private static string Token(SendEffect effect, string fromAddress, long seed)
    {
        var text = new StringBuilder()
            .Append(fromAddress).Append('\n')
            .AppendJoin(',', effect.To).Append('\n')
            .AppendJoin(',', effect.Cc).Append('\n')
            .Append(effect.Subject).Append('\n')
            .Append(effect.Text).Append('\n')
            .Append(effect.Html).Append('\n')
            .Append(effect.InReplyTo).Append('\n');
        foreach (var header in effect.Headers)
        {
            text.Append(header.Key).Append(':').Append(header.Value).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var input = new byte[sizeof(long) + bytes.Length];
        BinaryPrimitives.WriteInt64LittleEndian(input, seed);
        bytes.CopyTo(input, sizeof(long));
        return Convert.ToHexStringLower(SHA256.HashData(input));
    }
}
