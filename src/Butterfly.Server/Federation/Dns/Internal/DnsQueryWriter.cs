using System.Buffers.Binary;

namespace Butterfly.Server.Federation.Dns.Internal;

/// <summary>Builds query messages (RFC 1035 §4.1): one question, recursion desired.</summary>
internal static class DnsQueryWriter
{
    private const int MaxLabelLength = 63;
    private const int MaxNameLength = 255;
    private const ushort RecursionDesired = 0x0100;
    private const ushort ClassInternet = 1;

    /// <summary>Lower-cases <paramref name="name"/> and drops a trailing dot; throws when it cannot be put on the wire.</summary>
    public static string NormalizeName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.EndsWith('.') ? name[..^1] : name;
        if (text.Length == 0)
        {
            throw new ArgumentException("A DNS name is needed; the root name cannot be looked up here.", nameof(name));
        }

        // Wire length: one length octet per label plus its text, plus the root octet.
        if (text.Length + 2 > MaxNameLength)
        {
            throw new ArgumentException($"'{name}' is longer than a DNS name may be ({MaxNameLength} octets).", nameof(name));
        }

        var labelLength = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    throw new ArgumentException($"'{name}' has an empty label.", nameof(name));
                }

                labelLength = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')
            {
                if (++labelLength > MaxLabelLength)
                {
                    throw new ArgumentException($"'{name}' has a label longer than {MaxLabelLength} characters.", nameof(name));
                }
            }
            else
            {
                throw new ArgumentException($"'{name}' is not a DNS name (letters, digits, '-' and '_' in dot-separated labels; IDNs must be given in their xn-- form).", nameof(name));
            }
        }

        if (labelLength == 0)
        {
            throw new ArgumentException($"'{name}' has an empty label.", nameof(name));
        }

        return text.ToLowerInvariant();
    }

    /// <summary>The query for <paramref name="normalizedName"/> (from <see cref="NormalizeName"/>).</summary>
    public static byte[] Build(ushort id, string normalizedName, DnsRecordType type)
    {
        var buffer = new byte[DnsMessageReader.HeaderLength + normalizedName.Length + 2 + 4];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, id);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], RecursionDesired);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 1); // QDCOUNT; AN, NS and AR stay 0

        var offset = DnsMessageReader.HeaderLength;
        foreach (var label in normalizedName.Split('.'))
        {
            buffer[offset++] = (byte)label.Length;
            foreach (var c in label)
            {
                buffer[offset++] = (byte)c;
            }
        }

        buffer[offset++] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[offset..], (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 2)..], ClassInternet);
        return buffer;
    }
}
