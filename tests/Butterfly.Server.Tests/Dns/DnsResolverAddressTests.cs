using System.Net;
using Butterfly.Server.Dns;

namespace Butterfly.Server.Tests.Dns;

public sealed class DnsResolverAddressTests
{
    [Fact]
    public async Task ResolveAddressesAsync_AAndAaaa_ReturnsBothFamilies()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(
            TestRecord.A("mx1.b.example", "192.0.2.10"),
            TestRecord.A("mx1.b.example", "192.0.2.11"),
            TestRecord.Aaaa("mx1.b.example", "2001:db8::10"),
            TestRecord.A("other.b.example", "198.51.100.1"));
        var resolver = server.Resolver();

        var addresses = await resolver.ResolveAddressesAsync("mx1.b.example");

        Assert.Equal(
            [IPAddress.Parse("2001:db8::10"), IPAddress.Parse("192.0.2.10"), IPAddress.Parse("192.0.2.11")],
            addresses);
        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveAddressesAsync_OnlyA_ReturnsIPv4()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.A("mx1.b.example", "192.0.2.10"));
        var resolver = server.Resolver();

        var addresses = await resolver.ResolveAddressesAsync("mx1.b.example");

        Assert.Equal([IPAddress.Parse("192.0.2.10")], addresses);
    }

    [Fact]
    public async Task ResolveAddressesAsync_CnameChainInAnswer_FollowedToAddresses()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(
            TestRecord.Cname("mail.b.example", "alias.b.example"),
            TestRecord.Cname("alias.b.example", "host.b.example"),
            TestRecord.A("host.b.example", "192.0.2.20"),
            TestRecord.A("mail.b.example.decoy", "203.0.113.66"));
        var resolver = server.Resolver();

        var addresses = await resolver.ResolveAddressesAsync("mail.b.example");

        Assert.Equal([IPAddress.Parse("192.0.2.20")], addresses);
    }

    [Fact]
    public async Task ResolveAddressesAsync_NoSuchHost_ReturnsEmpty()
    {
        await using var server = new LoopbackDnsServer();
        var resolver = server.Resolver();

        var addresses = await resolver.ResolveAddressesAsync("missing.b.example");

        Assert.Empty(addresses);
    }

    [Fact]
    public async Task ResolveAddressesAsync_AaaaServFailsAFound_ReturnsIPv4()
    {
        await using var server = new LoopbackDnsServer();
        server.ServFailTypes.Add(TestRecord.TypeAaaa);
        server.Add(TestRecord.A("mx1.b.example", "192.0.2.10"), TestRecord.Aaaa("mx1.b.example", "2001:db8::10"));
        var resolver = server.Resolver();

        var addresses = await resolver.ResolveAddressesAsync("mx1.b.example");

        Assert.Equal([IPAddress.Parse("192.0.2.10")], addresses);
    }

    [Fact]
    public async Task ResolveAddressesAsync_AaaaServFailsNoA_ThrowsDnsException()
    {
        await using var server = new LoopbackDnsServer();
        server.ServFailTypes.Add(TestRecord.TypeAaaa);
        server.Add(TestRecord.Srv("mx1.b.example", 10, 0, 25, "other.b.example"));
        var resolver = server.Resolver();

        // "No A records" and "AAAA unknown" together do not say the host has no address.
        var error = await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveAddressesAsync("mx1.b.example"));

        Assert.Equal("AAAA", error.RecordType);
        Assert.Contains("SERVFAIL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("[2001:db8::1]", "2001:db8::1")]
    public async Task ResolveAddressesAsync_IpLiteral_ReturnedWithoutQuery(string host, string expected)
    {
        await using var server = new LoopbackDnsServer();
        var resolver = server.Resolver();

        var addresses = await resolver.ResolveAddressesAsync(host);

        Assert.Equal([IPAddress.Parse(expected)], addresses);
        Assert.Equal(0, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveAddressesAsync_NumericLabelNotDottedQuad_LookedUpAsName()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.A("10.example", "192.0.2.30"));
        var resolver = server.Resolver();

        var addresses = await resolver.ResolveAddressesAsync("10.example");

        Assert.Equal([IPAddress.Parse("192.0.2.30")], addresses);
        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveAddressesAsync_ManyConcurrentCalls_EachGetsItsOwnAnswer()
    {
        await using var server = new LoopbackDnsServer();
        for (var i = 0; i < 20; i++)
        {
            server.Add(TestRecord.A($"h{i}.b.example", $"192.0.2.{i + 1}"));
        }

        var resolver = server.Resolver();

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => resolver.ResolveAddressesAsync($"h{i % 20}.b.example")));

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal([IPAddress.Parse($"192.0.2.{(i % 20) + 1}")], results[i]);
        }
    }
}
