using Butterfly.Server.Configuration;
using Butterfly.Server.Dns;

namespace Butterfly.Server.Tests.Dns;

public sealed class DnsResolverSrvTests
{
    private const string Service = "_butterfly._tcp.b.example";

    [Fact]
    public async Task ResolveSrvAsync_SeveralRecords_SortedByPriority()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(
            TestRecord.Srv(Service, 20, 0, 7411, "backup.b.example", ttl: 600),
            TestRecord.Srv(Service, 10, 5, 7410, "mx1.b.example", ttl: 600),
            TestRecord.Srv(Service, 30, 0, 7412, "last.b.example", ttl: 600));
        var resolver = server.Resolver();

        var records = await resolver.ResolveSrvAsync(Service);

        Assert.Equal(["mx1.b.example", "backup.b.example", "last.b.example"], records.Select(r => r.Target));
        Assert.Equal([10, 20, 30], records.Select(r => r.Priority));
        Assert.Equal([7410, 7411, 7412], records.Select(r => r.Port));
        Assert.Equal(5, records[0].Weight);
    }

    [Fact]
    public async Task ResolveSrvAsync_SamePriority_AllRecordsReturned()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(
            TestRecord.Srv(Service, 10, 60, 7410, "a.b.example"),
            TestRecord.Srv(Service, 10, 40, 7410, "b.b.example"),
            TestRecord.Srv(Service, 5, 0, 7410, "first.b.example"));
        var resolver = server.Resolver();

        var records = await resolver.ResolveSrvAsync(Service);

        Assert.Equal("first.b.example", records[0].Target);
        Assert.Equal(["a.b.example", "b.b.example"], records.Skip(1).Select(r => r.Target).Order());
    }

    [Fact]
    public async Task ResolveSrvAsync_NxDomain_ReturnsEmpty()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.A("b.example", "192.0.2.7"));
        var resolver = server.Resolver();

        var records = await resolver.ResolveSrvAsync("_butterfly._tcp.nowhere.example");

        Assert.Empty(records);
        Assert.Equal(1, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_NameWithoutSrv_ReturnsEmpty()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.A(Service, "192.0.2.7"));
        var resolver = server.Resolver();

        var records = await resolver.ResolveSrvAsync(Service);

        Assert.Empty(records);
        Assert.Equal(1, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_LoneDotTarget_ReturnsOnlyTheDotRecord()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 0, 0, 0, "."));
        var resolver = server.Resolver();

        var records = await resolver.ResolveSrvAsync(Service);

        Assert.Equal(".", Assert.Single(records).Target);
    }

    [Fact]
    public async Task ResolveSrvAsync_DotTargetAmongOthers_Ignored()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 0, 0, 0, "."), TestRecord.Srv(Service, 10, 0, 7410, "mx.b.example"));
        var resolver = server.Resolver();

        var records = await resolver.ResolveSrvAsync(Service);

        Assert.Equal("mx.b.example", Assert.Single(records).Target);
    }

    [Fact]
    public async Task ResolveSrvAsync_TrailingDotAndUpperCase_SameAnswer()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));
        var resolver = server.Resolver();

        var records = await resolver.ResolveSrvAsync("_Butterfly._TCP.B.Example.");

        Assert.Equal("mx1.b.example", Assert.Single(records).Target);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("a..b")]
    [InlineData("bad name.example")]
    [InlineData("semi;colon.example")]
    [InlineData("a.b.example..")]
    public async Task ResolveSrvAsync_NotADnsName_ThrowsArgumentExceptionWithoutQuery(string name)
    {
        await using var server = new LoopbackDnsServer();
        var resolver = server.Resolver();

        await Assert.ThrowsAsync<ArgumentException>(() => resolver.ResolveSrvAsync(name));
        Assert.Equal(0, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_LabelOf64Characters_ThrowsArgumentException()
    {
        var resolver = new DnsResolver(new DnsOptions { Servers = ["127.0.0.1:9"] });

        await Assert.ThrowsAsync<ArgumentException>(() => resolver.ResolveSrvAsync($"_butterfly._tcp.{new string('a', 64)}.example"));
    }

    [Fact]
    public async Task ResolveSrvAsync_InternationalizedName_AskedAsALabel()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv("_butterfly._tcp.xn--bcher-kva.example", 10, 0, 7410, "mx.xn--bcher-kva.example"));
        var resolver = server.Resolver();

        var records = await resolver.ResolveSrvAsync("_butterfly._tcp.bücher.example");

        Assert.Equal("mx.xn--bcher-kva.example", Assert.Single(records).Target);
    }

    [Fact]
    public async Task ResolveSrvAsync_CachedAnswer_WeightedOrderDrawnOnEachCall()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(
            TestRecord.Srv(Service, 10, 30, 7410, "light.b.example"),
            TestRecord.Srv(Service, 10, 70, 7410, "heavy.b.example"),
            TestRecord.Srv(Service, 20, 0, 7410, "backup.b.example"));
        var resolver = server.Resolver(random: new Random(3));

        // The weighted shuffle runs on every call, over the cached answer too.
        var orders = new List<string[]>();
        for (var i = 0; i < 200; i++)
        {
            orders.Add([.. (await resolver.ResolveSrvAsync(Service)).Select(r => r.Target)]);
        }

        // Expected about 140 of 200 heavy first; the seed fixes the count, the bounds say what it should be near.
        Assert.All(orders, o => Assert.Equal("backup.b.example", o[2]));
        Assert.InRange(orders.Count(o => o[0] == "heavy.b.example"), 110, 170);
        Assert.Equal(1, server.UdpQueries);
    }
}
