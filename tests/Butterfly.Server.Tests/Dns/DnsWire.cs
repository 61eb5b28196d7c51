using System.Buffers.Binary;
using System.Text;

namespace Butterfly.Server.Tests.Dns;

/// <summary>
/// The tests' own DNS encoder, written apart from DnsClient's so the two check each other. Answer owner
/// names equal to the question are written as a pointer to it (offset 12), as real servers do.
/// </summary>
internal static class DnsWire
{
    public const int HeaderLength = 12;

    public static byte[] Name(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>The question of a query: id, name (dotted, as sent), type, and where the question ends.</summary>
    public static (ushort Id, string Name, ushort Type, int End) ReadQuery(ReadOnlySpan<byte> query)
    {
        var id = BinaryPrimitives.ReadUInt16BigEndian(query);
        var offset = HeaderLength;
        var labels = new List<string>();
        while (query[offset] != 0)
        {
            int length = query[offset];
            labels.Add(Encoding.ASCII.GetString(query.Slice(offset + 1, length)));
            offset += 1 + length;
        }

        offset++;
        var type = BinaryPrimitives.ReadUInt16BigEndian(query[offset..]);
        return (id, string.Join('.', labels), type, offset + 4);
    }

    /// <summary>A reply to <paramref name="query"/> echoing its question.</summary>
    public static byte[] Reply(ReadOnlySpan<byte> query, ushort id, int rcode, bool truncated, IReadOnlyList<TestRecord> answers)
    {
        var (_, questionName, _, questionEnd) = ReadQuery(query);
        var output = new List<byte>();
        var flags = (ushort)(0x8000 | 0x0100 | 0x0080 | (truncated ? 0x0200 : 0) | rcode);
        AppendUInt16(output, id);
        AppendUInt16(output, flags);
        AppendUInt16(output, 1);
        AppendUInt16(output, (ushort)answers.Count);
        AppendUInt16(output, 0);
        AppendUInt16(output, 0);
        output.AddRange(query[HeaderLength..questionEnd].ToArray());
        foreach (var record in answers)
        {
            if (string.Equals(record.Name, questionName, StringComparison.OrdinalIgnoreCase))
            {
                output.Add(0xC0);
                output.Add(HeaderLength);
            }
            else
            {
                output.AddRange(Name(record.Name));
            }

            AppendUInt16(output, record.Type);
            AppendUInt16(output, 1);
            AppendUInt16(output, (ushort)(record.Ttl >> 16));
            AppendUInt16(output, (ushort)record.Ttl);
            AppendUInt16(output, (ushort)record.Rdata.Length);
            output.AddRange(record.Rdata);
        }

        return [.. output];
    }

    public static void AppendUInt16(List<byte> output, ushort value)
    {
        output.Add((byte)(value >> 8));
        output.Add((byte)value);
    }
}
