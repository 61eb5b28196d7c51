using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Butterfly.Server.Tests.Dns;

/// <summary>A record the loopback DNS server answers with; RDATA already in wire form (names uncompressed).</summary>
internal sealed record TestRecord(string Name, ushort Type, uint Ttl, byte[] Rdata)
{
    public const ushort TypeA = 1;
    public const ushort TypeCname = 5;
    public const ushort TypeMx = 15;
    public const ushort TypeTxt = 16;
    public const ushort TypeAaaa = 28;
    public const ushort TypeSrv = 33;

    public static TestRecord A(string name, string address, uint ttl = 300) => new(name, TypeA, ttl, IPAddress.Parse(address).GetAddressBytes());

    public static TestRecord Aaaa(string name, string address, uint ttl = 300) => new(name, TypeAaaa, ttl, IPAddress.Parse(address).GetAddressBytes());

    public static TestRecord Cname(string name, string target, uint ttl = 300) => new(name, TypeCname, ttl, DnsWire.Name(target));

    public static TestRecord Srv(string name, ushort priority, ushort weight, ushort port, string target, uint ttl = 300)
    {
        var fixedPart = new byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, priority);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(2), weight);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(4), port);
        return new(name, TypeSrv, ttl, [.. fixedPart, .. DnsWire.Name(target)]);
    }

    public static TestRecord Mx(string name, ushort preference, string exchange, uint ttl = 300)
    {
        var fixedPart = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, preference);
        return new(name, TypeMx, ttl, [.. fixedPart, .. DnsWire.Name(exchange)]);
    }

    /// <summary>A TXT record of one or more character-strings (each at most 255 bytes of UTF-8).</summary>
    public static TestRecord Txt(string name, params string[] strings)
    {
        var rdata = new List<byte>();
        foreach (var text in strings)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            rdata.Add(checked((byte)bytes.Length));
            rdata.AddRange(bytes);
        }

        return new(name, TypeTxt, 300, [.. rdata]);
    }
}
