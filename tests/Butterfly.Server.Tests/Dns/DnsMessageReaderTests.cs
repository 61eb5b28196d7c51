using System.Net;
using Butterfly.Server.Federation.Dns.Internal;

namespace Butterfly.Server.Tests.Dns;

public sealed class DnsMessageReaderTests
{
    private const string Service = "_butterfly._tcp.b.example";

    [Fact]
    public void TryParse_ReplyWithCompressedOwnerNames_ReadsQuestionAndRecords()
    {
        var reply = Reply(
            [TestRecord.Srv(Service, 10, 5, 7410, "mx1.b.example", ttl: 42), TestRecord.Cname("x." + Service, "y.b.example")],
            [TestRecord.Soa("b.example", 7, 9)]);

        Assert.True(DnsMessageReader.TryParse(reply, out var message));

        Assert.Null(message.Error);
        Assert.Equal(0x1234, message.Id);
        Assert.True(message.IsResponse);
        Assert.Equal(Service, message.QuestionName);
        Assert.Equal(DnsRecordType.SRV, message.QuestionType);
        Assert.Equal(2, message.Answers.Count);
        var srv = message.Answers[0];
        Assert.Equal((Service, DnsRecordType.SRV, 42u, (ushort)10, (ushort)5, (ushort)7410, "mx1.b.example"), (srv.Name, srv.Type, srv.Ttl, srv.Priority, srv.Weight, srv.Port, srv.Target));
        Assert.Equal("y.b.example", message.Answers[1].Target);
        Assert.Equal(9u, Assert.Single(message.Authorities).Minimum);
    }

    [Fact]
    public void TryParse_AddressRecords_ReadAsAddresses()
    {
        var reply = Reply([TestRecord.A(Service, "192.0.2.1"), TestRecord.Aaaa(Service, "2001:db8::1")], []);

        Assert.True(DnsMessageReader.TryParse(reply, out var message));

        Assert.Equal([IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1")], message.Answers.Select(r => r.Address));
    }

    [Fact]
    public void TryParse_UnknownRecordType_Skipped()
    {
        var reply = Reply([new TestRecord(Service, 16, 60, [3, (byte)'a', (byte)'b', (byte)'c']), TestRecord.A(Service, "192.0.2.1")], []);

        Assert.True(DnsMessageReader.TryParse(reply, out var message));

        Assert.Null(message.Error);
        Assert.Equal(DnsRecordType.A, Assert.Single(message.Answers).Type);
    }

    [Fact]
    public void TryParse_TtlWithHighBitSet_TreatedAsZero()
    {
        var reply = Reply([TestRecord.A(Service, "192.0.2.1", ttl: 0x8000_0001)], []);

        Assert.True(DnsMessageReader.TryParse(reply, out var message));

        Assert.Equal(0u, Assert.Single(message.Answers).Ttl);
    }

    [Fact]
    public void TryParse_ARecordOfFiveOctets_Rejected()
    {
        var reply = Reply([new TestRecord(Service, TestRecord.TypeA, 60, [192, 0, 2, 1, 9])], []);

        Assert.True(DnsMessageReader.TryParse(reply, out var message));

        Assert.Contains("A record of 5 octets", message.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_EveryTruncation_ReportsErrorWithoutThrowing()
    {
        var reply = Reply([TestRecord.Srv(Service, 10, 5, 7410, "mx1.b.example"), TestRecord.A("mx1.b.example", "192.0.2.1")], [TestRecord.Soa("b.example", 7, 9)]);

        for (var length = 0; length < reply.Length; length++)
        {
            var parsed = DnsMessageReader.TryParse(reply.AsSpan(0, length), out var message);

            Assert.Equal(length >= DnsMessageReader.HeaderLength, parsed);
            Assert.True(!parsed || message.Error is not null, $"a reply cut to {length} of {reply.Length} octets was accepted");
        }
    }

    [Fact]
    public void TryReadName_PointerToItself_Rejected()
    {
        byte[] data = [.. new byte[12], 0xC0, 12];
        var offset = 12;

        Assert.False(DnsMessageReader.TryReadName(data, ref offset, out _, out var error));
        Assert.Contains("loop", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadName_TwoPointersPointingAtEachOther_Rejected()
    {
        // Offset 12: label "a" then a pointer to 17; offset 17: a pointer back to 12.
        byte[] data = [.. new byte[12], 1, (byte)'a', 0xC0, 17, 0xFF, 0xC0, 12];
        var offset = 17;

        Assert.False(DnsMessageReader.TryReadName(data, ref offset, out _, out var error));
        Assert.Contains("loop", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadName_ForwardPointer_Rejected()
    {
        byte[] data = [.. new byte[12], 0xC0, 16, 0, 0, 1, (byte)'a', 0];
        var offset = 12;

        Assert.False(DnsMessageReader.TryReadName(data, ref offset, out _, out _));
    }

    [Fact]
    public void TryReadName_BackwardPointerChain_Decoded()
    {
        // 12: "example" root; 21: "b" + pointer to 12; 25: "mx1" + pointer to 21.
        byte[] data = [.. new byte[12], 7, .. "example"u8, 0, 1, (byte)'b', 0xC0, 12, 3, .. "mx1"u8, 0xC0, 21, 0xEE];
        var offset = 25;

        Assert.True(DnsMessageReader.TryReadName(data, ref offset, out var name, out _));

        Assert.Equal("mx1.b.example", name);
        Assert.Equal(31, offset);
    }

    [Theory]
    [InlineData(255, true)]
    [InlineData(256, false)]
    public void TryReadName_WireLengthAtAndPastLimit_AcceptedThenRejected(int wireLength, bool accepted)
    {
        // Labels of 63 octets (64 on the wire) and one shorter label, plus the root octet.
        var labels = new List<byte>();
        var remaining = wireLength - 1;
        while (remaining > 0)
        {
            var label = Math.Min(63, remaining - 1);
            labels.Add((byte)label);
            labels.AddRange(Enumerable.Repeat((byte)'x', label));
            remaining -= label + 1;
        }

        byte[] data = [.. labels, 0];
        var offset = 0;

        Assert.Equal(accepted, DnsMessageReader.TryReadName(data, ref offset, out var name, out _));
        if (accepted)
        {
            Assert.Equal(wireLength, offset);
            Assert.Equal(wireLength - 2, name.Length);
        }
    }

    [Theory]
    [InlineData(0x40)]
    [InlineData(0x80)]
    public void TryReadName_ExtendedLabelType_Rejected(byte lengthOctet)
    {
        byte[] data = [lengthOctet, (byte)'a', 0];
        var offset = 0;

        Assert.False(DnsMessageReader.TryReadName(data, ref offset, out _, out var error));
        Assert.Contains("label type", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadName_OddBytes_EscapedInPresentationForm()
    {
        byte[] data = [3, (byte)'a', (byte)'.', 7, 0];
        var offset = 0;

        Assert.True(DnsMessageReader.TryReadName(data, ref offset, out var name, out _));

        Assert.Equal(@"a\.\007", name);
    }

    private static byte[] Reply(IReadOnlyList<TestRecord> answers, IReadOnlyList<TestRecord> authorities) =>
        DnsWire.Reply(DnsQueryWriter.Build(0x1234, Service, DnsRecordType.SRV), 0x1234, 0, false, answers, authorities);
}
