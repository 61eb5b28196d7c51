using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Butterfly.Server.Federation.Dns.Internal;

/// <summary>
/// Reads replies (RFC 1035 §4.1) from one whole message. Nothing here throws on bad input: every length is
/// checked against the message before it is read, and problems come back as text in <see cref="DnsMessage.Error"/>.
/// </summary>
internal static class DnsMessageReader
{
    public const int HeaderLength = 12;
    private const int MaxNameLength = 255;
    private const ushort ClassInternet = 1;

    /// <summary>
    /// Reads <paramref name="data"/>. False when it is shorter than a header. Otherwise the header is always
    /// filled in; the question when readable; the answer and authority records when <see cref="DnsMessage.Error"/>
    /// is null. The additional section is not read.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out DnsMessage message)
    {
        if (data.Length < HeaderLength)
        {
            message = new DnsMessage();
            return false;
        }

        message = new DnsMessage
        {
            Id = BinaryPrimitives.ReadUInt16BigEndian(data),
            Flags = BinaryPrimitives.ReadUInt16BigEndian(data[2..]),
            QuestionCount = BinaryPrimitives.ReadUInt16BigEndian(data[4..]),
        };
        int answerCount = BinaryPrimitives.ReadUInt16BigEndian(data[6..]);
        int authorityCount = BinaryPrimitives.ReadUInt16BigEndian(data[8..]);

        var offset = HeaderLength;
        if (message.QuestionCount != 1)
        {
            // Replies to our queries echo our one question; FORMERR and friends may carry none.
            message.Error = $"the reply has {message.QuestionCount} questions instead of 1";
            return true;
        }

        if (!TryReadName(data, ref offset, out var questionName, out var error))
        {
            message.Error = "question: " + error;
            return true;
        }

        if (data.Length - offset < 4)
        {
            message.Error = "question: the message ends inside the question";
            return true;
        }

        message.QuestionName = questionName;
        message.QuestionType = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
        message.QuestionClass = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
        offset += 4;

        if (!TryReadSection(data, ref offset, answerCount, message.Answers, out error))
        {
            message.Error = "answer section: " + error;
        }
        else if (!TryReadSection(data, ref offset, authorityCount, message.Authorities, out error))
        {
            message.Error = "authority section: " + error;
        }

        return true;
    }

    private static bool TryReadSection(ReadOnlySpan<byte> data, ref int offset, int count, List<DnsResourceRecord> records, out string error)
    {
        for (var i = 0; i < count; i++)
        {
            if (!TryReadRecord(data, ref offset, out var record, out error))
            {
                error = $"record {i + 1}: {error}";
                return false;
            }

            if (record is not null)
            {
                records.Add(record);
            }
        }

        error = "";
        return true;
    }

    /// <summary>Reads one resource record (RFC 1035 §4.1.3); <paramref name="record"/> is null for types and classes the resolver skips.</summary>
    private static bool TryReadRecord(ReadOnlySpan<byte> data, ref int offset, out DnsResourceRecord? record, out string error)
    {
        record = null;
        if (!TryReadName(data, ref offset, out var owner, out error))
        {
            return false;
        }

        if (data.Length - offset < 10)
        {
            error = "the message ends inside a record header";
            return false;
        }

        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
        var recordClass = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
        var ttl = BinaryPrimitives.ReadUInt32BigEndian(data[(offset + 4)..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 8)..]);
        var start = offset + 10;
        if (data.Length - start < length)
        {
            error = $"RDLENGTH {length} runs past the end of the message";
            return false;
        }

        var end = start + length;
        offset = end;

        // RFC 2181 §8: a TTL with the top bit set is treated as zero.
        if (ttl > int.MaxValue)
        {
            ttl = 0;
        }

        if (recordClass != ClassInternet)
        {
            return true;
        }

        var rdata = data[start..end];
        switch (type)
        {
            case DnsRecordType.A when length == 4:
            case DnsRecordType.AAAA when length == 16:
                record = new DnsResourceRecord(owner, type, ttl) { Address = new IPAddress(rdata) };
                return true;
            case DnsRecordType.A:
            case DnsRecordType.AAAA:
                error = $"{type} record of {length} octets";
                return false;
            case DnsRecordType.CNAME:
                {
                    var position = start;
                    if (!TryReadName(data, ref position, out var canonical, out error) || !EndsAt(position, end, ref error))
                    {
                        error = "CNAME: " + error;
                        return false;
                    }

                    record = new DnsResourceRecord(owner, type, ttl) { Target = canonical };
                    return true;
                }

            case DnsRecordType.SRV:
                {
                    // RFC 2782: priority, weight, port, target. The target should not be compressed, but
                    // decompressing it is harmless and some servers do compress it.
                    var position = start + 6;
                    if (length < 7 || !TryReadName(data, ref position, out var target, out error) || !EndsAt(position, end, ref error))
                    {
                        error = length < 7 ? $"SRV record of {length} octets" : "SRV: " + error;
                        return false;
                    }

                    record = new DnsResourceRecord(owner, type, ttl)
                    {
                        Priority = BinaryPrimitives.ReadUInt16BigEndian(rdata),
                        Weight = BinaryPrimitives.ReadUInt16BigEndian(rdata[2..]),
                        Port = BinaryPrimitives.ReadUInt16BigEndian(rdata[4..]),
                        Target = target,
                    };
                    return true;
                }

            case DnsRecordType.SOA:
                {
                    // MNAME, RNAME, then SERIAL REFRESH RETRY EXPIRE MINIMUM (RFC 1035 §3.3.13).
                    var position = start;
                    if (!TryReadName(data, ref position, out _, out error) || !TryReadName(data, ref position, out _, out error))
                    {
                        error = "SOA: " + error;
                        return false;
                    }

                    if (end - position != 20)
                    {
                        error = "SOA: the fixed fields do not fill the rest of RDATA";
                        return false;
                    }

                    record = new DnsResourceRecord(owner, type, ttl) { Minimum = BinaryPrimitives.ReadUInt32BigEndian(data[(position + 16)..]) };
                    return true;
                }

            default:
                return true;
        }
    }

    private static bool EndsAt(int position, int end, ref string error)
    {
        if (position == end)
        {
            return true;
        }

        error = "the name does not fill RDATA exactly";
        return false;
    }

    /// <summary>
    /// Reads a possibly compressed name (RFC 1035 §4.1.4) starting at <paramref name="offset"/>, which is moved past
    /// it. A pointer must point before the start of the stretch it was reached from (a "prior occurrence"), so
    /// every chain of pointers ends; loops and forward pointers are rejected. The whole name is bounded at 255
    /// octets and each label at 63 (the two high bits of a length octet are the only other cases: 11 is a pointer,
    /// 01 and 10 are extended label types, rejected).
    /// </summary>
    public static bool TryReadName(ReadOnlySpan<byte> data, ref int offset, out string name, out string error)
    {
        name = "";
        var text = new StringBuilder();
        var position = offset;
        var limit = offset;
        var resumeAt = -1;
        var wireLength = 1; // the root label
        while (true)
        {
            if (position >= data.Length)
            {
                error = "a name runs past the end of the message";
                return false;
            }

            int length = data[position];
            switch (length & 0xC0)
            {
                case 0x00 when length == 0:
                    offset = resumeAt >= 0 ? resumeAt : position + 1;
                    name = text.Length == 0 ? "." : text.ToString();
                    error = "";
                    return true;
                case 0x00:
                    wireLength += 1 + length;
                    if (wireLength > MaxNameLength)
                    {
                        error = $"a name is longer than {MaxNameLength} octets";
                        return false;
                    }

                    if (data.Length - position - 1 < length)
                    {
                        error = "a label runs past the end of the message";
                        return false;
                    }

                    if (text.Length > 0)
                    {
                        text.Append('.');
                    }

                    AppendLabel(text, data.Slice(position + 1, length));
                    position += 1 + length;
                    break;
                case 0xC0:
                    if (position + 1 >= data.Length)
                    {
                        error = "a compression pointer runs past the end of the message";
                        return false;
                    }

                    var target = ((length & 0x3F) << 8) | data[position + 1];
                    if (target >= limit)
                    {
                        error = target >= position ? "a compression pointer points forward or loops" : "compression pointers loop";
                        return false;
                    }

                    if (resumeAt < 0)
                    {
                        resumeAt = position + 2;
                    }

                    limit = target;
                    position = target;
                    break;
                default:
                    error = $"unsupported label type 0x{length:X2}";
                    return false;
            }
        }
    }

    /// <summary>Presentation form (RFC 1035 §5.1): '.' and '\' escaped, bytes outside printable ASCII as \DDD.</summary>
    private static void AppendLabel(StringBuilder text, ReadOnlySpan<byte> label)
    {
        foreach (var b in label)
        {
            if (b is (byte)'.' or (byte)'\\')
            {
                text.Append('\\').Append((char)b);
            }
            else if (b is > 0x20 and < 0x7F)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('\\').Append(b.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}
