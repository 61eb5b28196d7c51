using Butterfly.Server.Configuration;
using Butterfly.Server.Federation.Dns;

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
        using var resolver = new DnsResolver(new DnsOptions { Servers = [server.Address], TimeoutSeconds = 5, Attempts = 1 }, new ManualTimeProvider());

        var records = await resolver.ResolveSrvAsync(Service);

        Assert.Equal(["mx1.b.example", "backup.b.example", "last.b.example"], records.Select(r => r.Target));
        Assert.Equal([10, 20, 30], records.Select(r => r.Priority));
        Assert.Equal([7410, 7411, 7412], records.Select(r => r.Port));
        Assert.Equal(5, records[0].Weight);
        Assert.All(records, r => Assert.Equal(TimeSpan.FromSeconds(600), r.Ttl));
    }

    [Fact]
    public async Task ResolveSrvAsync_SamePriority_AllRecordsReturned()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(
            TestRecord.Srv(Service, 10, 60, 7410, "a.b.example"),
            TestRecord.Srv(Service, 10, 40, 7410, "b.b.example"),
            TestRecord.Srv(Service, 5, 0, 7410, "first.b.example"));
        using var resolver = NewResolver(server);

        var records = await resolver.ResolveSrvAsync(Service);

        Assert.Equal("first.b.example", records[0].Target);
        Assert.Equal(["a.b.example", "b.b.example"], records.Skip(1).Select(r => r.Target).Order());
    }

    [Fact]
    public async Task ResolveSrvAsync_NxDomain_ReturnsEmpty()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.A("b.example", "192.0.2.7"));
        using var resolver = NewResolver(server);

        var records = await resolver.ResolveSrvAsync("_butterfly._tcp.nowhere.example");

        Assert.Empty(records);
        Assert.Equal(1, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_NameWithoutSrv_ReturnsEmpty()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.A(Service, "192.0.2.7"));
        using var resolver = NewResolver(server);

        var records = await resolver.ResolveSrvAsync(Service);

        Assert.Empty(records);
        Assert.Equal(1, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_LoneDotTarget_ReturnsOnlyTheDotRecord()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 0, 0, 0, "."));
        using var resolver = NewResolver(server);

        var records = await resolver.ResolveSrvAsync(Service);

        Assert.Equal(".", Assert.Single(records).Target);
    }

    [Fact]
    public async Task ResolveSrvAsync_DotTargetAmongOthers_Ignored()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 0, 0, 0, "."), TestRecord.Srv(Service, 10, 0, 7410, "mx.b.example"));
        using var resolver = NewResolver(server);

        var records = await resolver.ResolveSrvAsync(Service);

        Assert.Equal("mx.b.example", Assert.Single(records).Target);
    }

    [Fact]
    public async Task ResolveSrvAsync_TrailingDotAndUpperCase_SameAnswer()
    {
        await using var server = new LoopbackDnsServer();
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));
        using var resolver = NewResolver(server);

        var records = await resolver.ResolveSrvAsync("_Butterfly._TCP.B.Example.");

        Assert.Equal("mx1.b.example", Assert.Single(records).Target);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("bad name.example")]
    [InlineData("bücher.example")]
    public async Task ResolveSrvAsync_NotADnsName_ThrowsArgumentException(string name)
    {
        using var resolver = new DnsResolver(new DnsOptions { Servers = ["127.0.0.1:9"] });

        await Assert.ThrowsAsync<ArgumentException>(() => resolver.ResolveSrvAsync(name));
    }

    private static DnsResolver NewResolver(LoopbackDnsServer server) =>
        new(new DnsOptions { Servers = [server.Address], TimeoutSeconds = 5, Attempts = 1 });
}
