using Butterfly.Server.Dns;

namespace Butterfly.Server.Tests.Dns;

/// <summary>The caching DnsResolver asks of DnsClient: positive answers by TTL, NXDOMAIN and server failures briefly.</summary>
public sealed class DnsResolverCacheTests
{
    private const string Service = "_butterfly._tcp.b.example";

    /// <summary>Guards against hangs only; nothing here measures speed.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ResolveSrvAsync_SecondCallWithinTtl_AnsweredFromCache()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example", ttl: 300));
        var resolver = server.Resolver();

        await resolver.ResolveSrvAsync(Service);
        var second = await resolver.ResolveSrvAsync("_Butterfly._tcp.B.example.");

        Assert.Equal("mx1.b.example", Assert.Single(second).Target);
        Assert.Equal(1, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_AfterTtlPasses_AsksAgain()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example", ttl: 1));
        var resolver = server.Resolver();
        await resolver.ResolveSrvAsync(Service);

        // Each call is answered from the cache until the one-second TTL runs out; then the server is asked again.
        using var deadline = new CancellationTokenSource(Deadline);
        while (server.UdpQueries < 2)
        {
            await Task.Delay(50, deadline.Token);
            Assert.Equal("mx1.b.example", Assert.Single(await resolver.ResolveSrvAsync(Service, deadline.Token)).Target);
        }

        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveAddressesAsync_SecondCall_BothFamiliesFromCache()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.A("mx1.b.example", "192.0.2.10"), TestRecord.Aaaa("mx1.b.example", "2001:db8::10"));
        var resolver = server.Resolver();

        var first = await resolver.ResolveAddressesAsync("mx1.b.example");
        var second = await resolver.ResolveAddressesAsync("MX1.b.example");

        Assert.Equal(first, second);
        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_NxDomain_Cached()
    {
        await using var server = new LoopbackDnsServer();
        var resolver = server.Resolver();

        Assert.Empty(await resolver.ResolveSrvAsync(Service));
        Assert.Empty(await resolver.ResolveSrvAsync(Service));

        Assert.Equal(1, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_ServFail_CachedAsAFailure()
    {
        await using var server = new LoopbackDnsServer { ForcedResponseCode = 2 };
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));
        var resolver = server.Resolver();

        await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveSrvAsync(Service));
        server.ForcedResponseCode = 0;

        // RFC 2308 §7.1: a server failure may be remembered briefly; it stays a temporary failure meanwhile.
        await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveSrvAsync(Service));
        Assert.Equal(1, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_NoData_NotCached()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.A(Service, "192.0.2.1"));
        var resolver = server.Resolver();

        // DnsClient keeps neither a positive answer without records nor (being NOERROR) a failure.
        Assert.Empty(await resolver.ResolveSrvAsync(Service));
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));

        Assert.Single(await resolver.ResolveSrvAsync(Service));
        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_ZeroTtl_NotCached()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example", ttl: 0));
        var resolver = server.Resolver();

        await resolver.ResolveSrvAsync(Service);
        await resolver.ResolveSrvAsync(Service);

        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_TwoResolvers_DoNotShareCache()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));
        var one = server.Resolver();
        var two = server.Resolver();

        await one.ResolveSrvAsync(Service);
        await two.ResolveSrvAsync(Service);

        Assert.Equal(2, server.UdpQueries);
    }
}
