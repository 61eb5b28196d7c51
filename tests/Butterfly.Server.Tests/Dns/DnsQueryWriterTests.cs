using Butterfly.Server.Federation.Dns.Internal;

namespace Butterfly.Server.Tests.Dns;

public sealed class DnsQueryWriterTests
{
    [Fact]
    public void Build_SrvQuery_ExactBytes()
    {
        var query = DnsQueryWriter.Build(0xBEEF, "_x._tcp.b.example", DnsRecordType.SRV);

        byte[] expected =
        [
            0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
            2, (byte)'_', (byte)'x', 4, .. "_tcp"u8, 1, (byte)'b', 7, .. "example"u8, 0,
            0, 33, 0, 1,
        ];
        Assert.Equal(expected, query);
    }

    [Theory]
    [InlineData("B.Example.", "b.example")]
    [InlineData("_butterfly._tcp.b.example", "_butterfly._tcp.b.example")]
    public void NormalizeName_ValidName_LowerCasedWithoutTrailingDot(string name, string expected)
    {
        Assert.Equal(expected, DnsQueryWriter.NormalizeName(name));
    }

    [Fact]
    public void NormalizeName_LabelLengthAtAndPastLimit_AcceptedThenRejected()
    {
        Assert.Equal(63 + ".example".Length, DnsQueryWriter.NormalizeName(new string('a', 63) + ".example").Length);
        Assert.Throws<ArgumentException>(() => DnsQueryWriter.NormalizeName(new string('a', 64) + ".example"));
    }

    [Fact]
    public void NormalizeName_NameLengthAtAndPastLimit_AcceptedThenRejected()
    {
        // 253 characters of text is 255 octets on the wire.
        var longest = string.Join('.', Enumerable.Repeat(new string('a', 49), 5)) + ".abc";
        Assert.Equal(253, longest.Length);
        Assert.Equal(longest, DnsQueryWriter.NormalizeName(longest));
        Assert.Throws<ArgumentException>(() => DnsQueryWriter.NormalizeName(longest + "d"));
    }

    [Theory]
    [InlineData(".")]
    [InlineData(".example")]
    [InlineData("a..example")]
    [InlineData("a b.example")]
    [InlineData("a/b.example")]
    public void NormalizeName_NotADnsName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => DnsQueryWriter.NormalizeName(name));
    }
}
