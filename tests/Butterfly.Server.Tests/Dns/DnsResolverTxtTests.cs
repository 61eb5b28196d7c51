using Butterfly.Server.Dns;

namespace Butterfly.Server.Tests.Dns;

/// <summary>TXT lookups as SPF (RFC 7208 §3.3), DKIM and DMARC read them, against the loopback DNS server.</summary>
public sealed class DnsResolverTxtTests
{
    [Fact]
    public async Task ResolveTxtAsync_SeveralStringsInOneRecord_JoinedWithoutSpaces()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Txt("b.example", "v=spf1 include:_spf.exa", "mple.net -all"));
        var resolver = server.Resolver();

        var records = await resolver.ResolveTxtAsync("b.example");

        Assert.Equal(["v=spf1 include:_spf.example.net -all"], records);
    }

    [Fact]
    public async Task ResolveTxtAsync_SeveralRecords_OneStringEach()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(
            TestRecord.Txt("b.example", "v=spf1 ip4:192.0.2.0/24 -all"),
            TestRecord.Txt("b.example", "google-site-verification=abc"),
            TestRecord.Txt("b.example", ""));
        var resolver = server.Resolver();

        var records = await resolver.ResolveTxtAsync("b.example");

        Assert.Equal(["", "google-site-verification=abc", "v=spf1 ip4:192.0.2.0/24 -all"], records.Order());
    }

    [Fact]
    public async Task ResolveTxtAsync_DkimKeyLongerThanOneString_Joined()
    {
        var key = "v=DKIM1; k=rsa; p=" + string.Concat(Enumerable.Repeat("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 9));
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Txt("sel._domainkey.b.example", key[..255], key[255..]));
        var resolver = server.Resolver();

        var records = await resolver.ResolveTxtAsync("sel._domainkey.b.example");

        Assert.Equal([key], records);
    }

    [Fact]
    public async Task ResolveTxtAsync_TruncatedOverUdp_WholeRecordOverTcp()
    {
        await using var server = new LoopbackDnsServer { TruncateUdp = true };
        server.Add(TestRecord.Txt("_dmarc.b.example", "v=DMARC1; p=reject; ", "rua=mailto:dmarc@b.example"));
        var resolver = server.Resolver();

        var records = await resolver.ResolveTxtAsync("_dmarc.b.example");

        Assert.Equal(["v=DMARC1; p=reject; rua=mailto:dmarc@b.example"], records);
        Assert.Equal(1, server.TcpQueries);
    }

    [Fact]
    public async Task ResolveTxtAsync_Utf8Text_Decoded()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Txt("b.example", "café"));
        var resolver = server.Resolver();

        Assert.Equal(["café"], await resolver.ResolveTxtAsync("b.example"));
    }

    [Fact]
    public async Task ResolveTxtAsync_NxDomain_Empty()
    {
        await using var server = new LoopbackDnsServer();
        var resolver = server.Resolver();

        Assert.Empty(await resolver.ResolveTxtAsync("_dmarc.nowhere.example"));
    }

    [Fact]
    public async Task ResolveTxtAsync_NameWithoutTxt_Empty()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.A("b.example", "192.0.2.7"));
        var resolver = server.Resolver();

        Assert.Empty(await resolver.ResolveTxtAsync("b.example"));
    }

    [Fact]
    public async Task ResolveTxtAsync_Refused_ThrowsDnsException()
    {
        await using var server = new LoopbackDnsServer { ForcedResponseCode = 5 };
        server.Add(TestRecord.Txt("b.example", "v=spf1 -all"));
        var resolver = server.Resolver();

        var error = await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveTxtAsync("b.example"));

        Assert.Equal("TXT", error.RecordType);
        Assert.Contains("REFUSED", error.Message, StringComparison.Ordinal);
    }
}
