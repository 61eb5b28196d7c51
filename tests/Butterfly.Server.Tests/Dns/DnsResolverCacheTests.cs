using Butterfly.Server.Configuration;
using Butterfly.Server.Federation.Dns;

namespace Butterfly.Server.Tests.Dns;

public sealed class DnsResolverCacheTests
{
    private const string Service = "_butterfly._tcp.b.example";

    [Fact]
    public async Task ResolveSrvAsync_SecondCallWithinTtl_AnsweredFromCache()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example", ttl: 300));
        var clock = new ManualTimeProvider();
        using var resolver = NewResolver(server, clock);

        await resolver.ResolveSrvAsync(Service);
        clock.Advance(TimeSpan.FromSeconds(100));
        var second = await resolver.ResolveSrvAsync(Service);

        Assert.Equal(1, server.UdpQueries);
        var record = Assert.Single(second);
        Assert.Equal("mx1.b.example", record.Target);
        Assert.Equal(TimeSpan.FromSeconds(200), record.Ttl);
    }

    [Fact]
    public async Task ResolveSrvAsync_AfterTtlPasses_QueriesAgain()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(
            TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example", ttl: 300),
            TestRecord.Srv(Service, 20, 0, 7410, "mx2.b.example", ttl: 120));
        var clock = new ManualTimeProvider();
        using var resolver = NewResolver(server, clock);

        await resolver.ResolveSrvAsync(Service);
        clock.Advance(TimeSpan.FromSeconds(119));
        await resolver.ResolveSrvAsync(Service);
        Assert.Equal(1, server.UdpQueries);

        // The answer lives as long as its shortest TTL.
        clock.Advance(TimeSpan.FromSeconds(1));
        var records = await resolver.ResolveSrvAsync(Service);

        Assert.Equal(2, server.UdpQueries);
        Assert.Equal(2, records.Count);
    }

    [Fact]
    public async Task ResolveAddressesAsync_SecondCall_BothFamiliesFromCache()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.A("mx1.b.example", "192.0.2.10"), TestRecord.Aaaa("mx1.b.example", "2001:db8::10"));
        var clock = new ManualTimeProvider();
        using var resolver = NewResolver(server, clock);

        var first = await resolver.ResolveAddressesAsync("mx1.b.example");
        var second = await resolver.ResolveAddressesAsync("MX1.b.example");

        Assert.Equal(first, second);
        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_NxDomainWithSoa_CachedForSoaMinimum()
    {
        await using var server = new LoopbackDnsServer { NegativeSoa = TestRecord.Soa("b.example", ttl: 3600, minimum: 30) };
        var clock = new ManualTimeProvider();
        using var resolver = NewResolver(server, clock);

        Assert.Empty(await resolver.ResolveSrvAsync(Service));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await resolver.ResolveSrvAsync(Service));
        Assert.Equal(1, server.UdpQueries);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await resolver.ResolveSrvAsync(Service));
        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_NoDataWithSoaTtlBelowMinimum_CachedForSoaTtl()
    {
        await using var server = new LoopbackDnsServer { NegativeSoa = TestRecord.Soa("b.example", ttl: 10, minimum: 3600) };
        server.Add(TestRecord.A(Service, "192.0.2.1"));
        var clock = new ManualTimeProvider();
        using var resolver = NewResolver(server, clock);

        Assert.Empty(await resolver.ResolveSrvAsync(Service));
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(await resolver.ResolveSrvAsync(Service));
        Assert.Equal(1, server.UdpQueries);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await resolver.ResolveSrvAsync(Service));
        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_NegativeWithoutSoa_CachedForSixtySeconds()
    {
        await using var server = new LoopbackDnsServer();
        var clock = new ManualTimeProvider();
        using var resolver = NewResolver(server, clock);

        await resolver.ResolveSrvAsync(Service);
        clock.Advance(TimeSpan.FromSeconds(59));
        await resolver.ResolveSrvAsync(Service);
        Assert.Equal(1, server.UdpQueries);

        clock.Advance(TimeSpan.FromSeconds(1));
        await resolver.ResolveSrvAsync(Service);
        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_NewRecordAfterNegativeExpires_Found()
    {
        await using var server = new LoopbackDnsServer();
        var clock = new ManualTimeProvider();
        using var resolver = NewResolver(server, clock);

        Assert.Empty(await resolver.ResolveSrvAsync(Service));
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));
        Assert.Empty(await resolver.ResolveSrvAsync(Service));
        clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Single(await resolver.ResolveSrvAsync(Service));
    }

    [Fact]
    public async Task ResolveSrvAsync_ServFail_NotCached()
    {
        await using var server = new LoopbackDnsServer { ForcedResponseCode = 2 };
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));
        var clock = new ManualTimeProvider();
        using var resolver = NewResolver(server, clock);

        await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveSrvAsync(Service));
        server.ForcedResponseCode = 0;
        var records = await resolver.ResolveSrvAsync(Service);

        Assert.Single(records);
        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_ZeroTtl_NotCached()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example", ttl: 0));
        using var resolver = NewResolver(server, new ManualTimeProvider());

        await resolver.ResolveSrvAsync(Service);
        await resolver.ResolveSrvAsync(Service);

        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_MoreNamesThanCacheEntries_CacheStaysBounded()
    {
        await using var server = new LoopbackDnsServer();
        var clock = new ManualTimeProvider();
        using var resolver = new DnsResolver(new DnsOptions { Servers = [server.Address], TimeoutSeconds = 5, Attempts = 1, MaxCacheEntries = 3 }, clock);

        for (var i = 0; i < 10; i++)
        {
            server.Add(TestRecord.Srv($"_butterfly._tcp.d{i}.example", 10, 0, 7410, $"mx.d{i}.example", ttl: (uint)(100 + i)));
            await resolver.ResolveSrvAsync($"_butterfly._tcp.d{i}.example");
            Assert.True(resolver.CacheCount <= 3, $"cache holds {resolver.CacheCount} entries");
        }

        // The longest-lived entries stay; the one that expired soonest was dropped.
        await resolver.ResolveSrvAsync("_butterfly._tcp.d9.example");
        Assert.Equal(10, server.UdpQueries);
        await resolver.ResolveSrvAsync("_butterfly._tcp.d0.example");
        Assert.Equal(11, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_CacheDisabled_AlwaysQueries()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));
        using var resolver = new DnsResolver(new DnsOptions { Servers = [server.Address], TimeoutSeconds = 5, Attempts = 1, MaxCacheEntries = 0 });

        await resolver.ResolveSrvAsync(Service);
        await resolver.ResolveSrvAsync(Service);

        Assert.Equal(2, server.UdpQueries);
        Assert.Equal(0, resolver.CacheCount);
    }

    [Fact]
    public async Task ResolveSrvAsync_TwoResolvers_DoNotShareCache()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));
        using var one = NewResolver(server, new ManualTimeProvider());
        using var two = NewResolver(server, new ManualTimeProvider());

        await one.ResolveSrvAsync(Service);
        await two.ResolveSrvAsync(Service);

        Assert.Equal(2, server.UdpQueries);
    }

    private static DnsResolver NewResolver(LoopbackDnsServer server, TimeProvider clock) =>
        new(new DnsOptions { Servers = [server.Address], TimeoutSeconds = 5, Attempts = 1 }, clock);
}
