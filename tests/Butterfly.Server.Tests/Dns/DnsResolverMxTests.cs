using Butterfly.Server.Configuration;
using Butterfly.Server.Dns;

namespace Butterfly.Server.Tests.Dns;

/// <summary>MX lookups by the rules of RFC 5321 §5.1 and RFC 7505, against the loopback DNS server.</summary>
public sealed class DnsResolverMxTests
{
    [Fact]
    public async Task ResolveMxAsync_SeveralRecords_LowestPreferenceFirst()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(
            TestRecord.Mx("b.example", 20, "backup.b.example"),
            TestRecord.Mx("b.example", 10, "mx1.b.example."),
            TestRecord.Mx("b.example", 30, "last.b.example"));
        var resolver = server.Resolver();

        var mx = await resolver.ResolveMxAsync("b.example");

        Assert.Equal(MxStatus.Found, mx.Status);
        Assert.True(mx.AcceptsMail);
        Assert.Equal([new MxHost(10, "mx1.b.example"), new MxHost(20, "backup.b.example"), new MxHost(30, "last.b.example")], mx.Hosts);
    }

    [Fact]
    public async Task ResolveMxAsync_EqualPreferences_RandomOrderOnEachCall()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(
            TestRecord.Mx("b.example", 10, "x.b.example"),
            TestRecord.Mx("b.example", 10, "y.b.example"),
            TestRecord.Mx("b.example", 5, "first.b.example"));
        var resolver = server.Resolver(random: new Random(11));

        var orders = new List<string[]>();
        for (var i = 0; i < 200; i++)
        {
            orders.Add([.. (await resolver.ResolveMxAsync("b.example")).Hosts.Select(h => h.Host)]);
        }

        // Expected about 100 of 200 each way; the seed fixes the count, the bounds say what it should be near.
        Assert.All(orders, o => Assert.Equal("first.b.example", o[0]));
        Assert.All(orders, o => Assert.Equal(["x.b.example", "y.b.example"], o.Skip(1).Order()));
        Assert.InRange(orders.Count(o => o[1] == "x.b.example"), 70, 130);
        Assert.Equal(1, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveMxAsync_NoMxButAnAddress_DomainIsItsOwnMailHost()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.A("b.example", "192.0.2.7"));
        var resolver = server.Resolver();

        var mx = await resolver.ResolveMxAsync("B.Example.");

        Assert.Equal(MxStatus.Implicit, mx.Status);
        Assert.True(mx.AcceptsMail);
        Assert.Equal([new MxHost(0, "b.example")], mx.Hosts);
    }

    [Fact]
    public async Task ResolveMxAsync_NoMxOnlyIPv6_DomainIsItsOwnMailHost()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Aaaa("b.example", "2001:db8::7"));
        var resolver = server.Resolver();

        var mx = await resolver.ResolveMxAsync("b.example");

        Assert.Equal(MxStatus.Implicit, mx.Status);
    }

    [Fact]
    public async Task ResolveMxAsync_InternationalizedDomainWithoutMx_ImplicitHostIsTheALabel()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.A("xn--bcher-kva.example", "192.0.2.8"));
        var resolver = server.Resolver();

        var mx = await resolver.ResolveMxAsync("bücher.example");

        Assert.Equal([new MxHost(0, "xn--bcher-kva.example")], mx.Hosts);
    }

    [Fact]
    public async Task ResolveMxAsync_NoMxNoAddress_NoMailHost()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Txt("b.example", "v=spf1 -all"));
        var resolver = server.Resolver();

        var mx = await resolver.ResolveMxAsync("b.example");

        Assert.Equal(MxStatus.NoMailHost, mx.Status);
        Assert.False(mx.AcceptsMail);
        Assert.Empty(mx.Hosts);
    }

    [Fact]
    public async Task ResolveMxAsync_NxDomain_NoSuchDomainWithoutAddressLookup()
    {
        await using var server = new LoopbackDnsServer();
        var resolver = server.Resolver();

        var mx = await resolver.ResolveMxAsync("nowhere.example");

        Assert.Equal(MxStatus.NoSuchDomain, mx.Status);
        Assert.Empty(mx.Hosts);
        Assert.Equal(1, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveMxAsync_NullMx_AcceptsNoMailEvenWithAnAddress()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Mx("b.example", 0, "."), TestRecord.A("b.example", "192.0.2.7"));
        var resolver = server.Resolver();

        var mx = await resolver.ResolveMxAsync("b.example");

        Assert.Equal(MxStatus.NullMx, mx.Status);
        Assert.False(mx.AcceptsMail);
        Assert.Empty(mx.Hosts);
        Assert.Equal(1, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveMxAsync_DotAmongRealHosts_RealHostsUsed()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Mx("b.example", 0, "."), TestRecord.Mx("b.example", 10, "mx1.b.example"));
        var resolver = server.Resolver();

        var mx = await resolver.ResolveMxAsync("b.example");

        Assert.Equal(MxStatus.Found, mx.Status);
        Assert.Equal([new MxHost(10, "mx1.b.example")], mx.Hosts);
    }

    [Fact]
    public async Task ResolveMxAsync_DomainIsACname_MxOfTheTarget()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Cname("b.example", "c.example"), TestRecord.Mx("c.example", 10, "mx.c.example"));
        var resolver = server.Resolver();

        var mx = await resolver.ResolveMxAsync("b.example");

        Assert.Equal([new MxHost(10, "mx.c.example")], mx.Hosts);
    }

    [Fact]
    public async Task ResolveMxAsync_ServFail_ThrowsDnsException()
    {
        await using var server = new LoopbackDnsServer { ForcedResponseCode = 2 };
        server.Add(TestRecord.Mx("b.example", 10, "mx1.b.example"));
        var resolver = server.Resolver();

        var error = await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveMxAsync("b.example"));

        Assert.Equal(("b.example", "MX"), (error.Name, error.RecordType));
    }

    [Fact]
    public async Task ResolveMxAsync_NoMxAndAddressLookupFails_ThrowsDnsException()
    {
        await using var server = new LoopbackDnsServer();
        server.ServFailTypes.UnionWith([TestRecord.TypeA, TestRecord.TypeAaaa]);
        server.Add(TestRecord.A("b.example", "192.0.2.7"));
        var resolver = server.Resolver();

        // Whether the implicit MX exists cannot be known now: temporary, not "no mail host".
        await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveMxAsync("b.example"));
    }

    [Fact]
    public async Task ResolveMxAsync_NotADomain_ThrowsArgumentException()
    {
        var resolver = new DnsResolver(new DnsOptions { Servers = ["127.0.0.1:9"] });

        await Assert.ThrowsAsync<ArgumentException>(() => resolver.ResolveMxAsync("not a domain"));
    }
}
