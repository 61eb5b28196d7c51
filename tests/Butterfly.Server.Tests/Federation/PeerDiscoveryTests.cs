using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Dns;
using Butterfly.Server.Federation;
using Butterfly.Server.Mail;
using Butterfly.Server.Tests.Dns;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Butterfly.Server.Tests.Federation;

/// <summary>Discovery in the order of protocol/peer.md, "Discovery", against a loopback DNS server.</summary>
public sealed class PeerDiscoveryTests
{
    private const string Service = "_butterfly._tcp.b.example";
    private const string TlsService = "_butterflys._tcp.b.example";

    [Fact]
    public async Task LocateAsync_StaticEntry_WinsOverDns()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Srv(Service, 10, 0, 7999, "srv.b.example"));
        var resolver = dns.Resolver();
        var options = new ButterflyOptions { Domains = ["a.example"] };
        options.Peers["B.example"] = new PeerOptions { Address = "127.0.0.1:7412", Tls = true, ServerName = "mail.b.example" };

        var endpoint = Assert.Single(await new PeerLocator(options, resolver).LocateAsync("b.example", default));

        Assert.Equal(("127.0.0.1", 7412, true, "mail.b.example", "static"), (endpoint.Host, endpoint.Port, endpoint.Tls, endpoint.ServerName, endpoint.Source));
        Assert.Equal(0, dns.UdpQueries);
    }

    [Fact]
    public async Task LocateAsync_SrvRecords_InPriorityOrder()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Srv(Service, 20, 0, 7411, "backup.b.example"), TestRecord.Srv(Service, 10, 0, 7999, "mx.b.example."));
        var resolver = dns.Resolver();

        var endpoints = await Locator(resolver).LocateAsync("b.example", default);

        Assert.Equal([("mx.b.example", 7999), ("backup.b.example", 7411)], endpoints.Select(e => (e.Host, e.Port)));
        Assert.All(endpoints, e => Assert.Equal("srv", e.Source));
    }

    [Fact]
    public async Task LocateAsync_SrvTargetDot_IsPermanentFailure()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Srv(Service, 0, 0, 0, "."), TestRecord.A("b.example", "192.0.2.7"));
        var resolver = dns.Resolver();

        var failure = await Assert.ThrowsAsync<PeerException>(() =>
            Locator(resolver).LocateAsync("b.example", default));

        Assert.True(failure.Permanent);
        Assert.Contains("no Butterfly service", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocateAsync_NoSrv_FallsBackToTheDomainOnPort7411WithTlsThen7410()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.A("b.example", "192.0.2.7"));
        var resolver = dns.Resolver();

        var endpoints = await Locator(resolver).LocateAsync("b.example", default);

        Assert.Equal(
            [("b.example", 7411, true, "b.example", "address"), ("b.example", 7410, false, "b.example", "address")],
            endpoints.Select(e => (e.Host, e.Port, e.Tls, e.ServerName, e.Source)));
    }

    [Fact]
    public async Task LocateAsync_SrvNoDataAndAddress_FallsBackToTheDomainOnPort7410()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.A(Service, "192.0.2.9"), TestRecord.A("b.example", "192.0.2.7"));
        var resolver = dns.Resolver();

        var endpoint = Assert.Single(await Locator(resolver, PeerTlsPolicy.Off).LocateAsync("b.example", default));

        Assert.Equal(("b.example", 7410, "address"), (endpoint.Host, endpoint.Port, endpoint.Source));
    }

    [Fact]
    public async Task LocateAsync_TlsSrvRecords_ComeFirstAndMustNameThePeerDomain()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(
            TestRecord.Srv(Service, 0, 0, 7410, "mx.b.example"),
            TestRecord.Srv(TlsService, 10, 0, 7411, "tls.b.example."));
        var resolver = dns.Resolver();

        var endpoints = await Locator(resolver).LocateAsync("b.example", default);

        Assert.Equal(
            [("tls.b.example", 7411, true, "b.example"), ("mx.b.example", 7410, false, "b.example")],
            endpoints.Select(e => (e.Host, e.Port, e.Tls, e.ServerName)));
    }

    [Fact]
    public async Task LocateAsync_TlsRequired_OnlyTlsEndpoints()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Srv(Service, 0, 0, 7410, "mx.b.example"));
        var resolver = dns.Resolver();

        var endpoint = Assert.Single(await Locator(resolver, PeerTlsPolicy.Required).LocateAsync("b.example", default));

        // The plain SRV record is not even asked for; the domain's own TLS port remains.
        Assert.Equal(("b.example", 7411, true, "address"), (endpoint.Host, endpoint.Port, endpoint.Tls, endpoint.Source));
    }

    [Fact]
    public async Task LocateAsync_TlsOff_NeverTls()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Srv(TlsService, 0, 0, 7411, "tls.b.example"), TestRecord.Srv(Service, 10, 0, 7410, "mx.b.example"));
        var resolver = dns.Resolver();

        var endpoint = Assert.Single(await Locator(resolver, PeerTlsPolicy.Off).LocateAsync("b.example", default));

        Assert.Equal(("mx.b.example", 7410, false), (endpoint.Host, endpoint.Port, endpoint.Tls));
    }

    [Fact]
    public async Task LocateAsync_DnsServerSilent_IsTemporary()
    {
        await using var dns = new LoopbackDnsServer { Drop = true };
        var resolver = dns.Resolver(timeoutSeconds: 0.2);

        var failure = await Assert.ThrowsAsync<PeerException>(() => Locator(resolver).LocateAsync("b.example", default));

        Assert.False(failure.Permanent);
        Assert.Contains("no reply", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public async Task LocateAsync_DnsServerFails_IsTemporary(int rcode)
    {
        await using var dns = new LoopbackDnsServer { ForcedResponseCode = rcode };
        dns.Add(TestRecord.Srv(Service, 10, 0, 7999, "srv.b.example"));
        var resolver = dns.Resolver();

        var failure = await Assert.ThrowsAsync<PeerException>(() => Locator(resolver).LocateAsync("b.example", default));

        Assert.False(failure.Permanent);
        Assert.Equal("peer.domain-unknown", failure.Code);
    }

    [Fact]
    public async Task LocateAsync_NotADomainName_IsPermanentWithoutQuery()
    {
        await using var dns = new LoopbackDnsServer();
        var resolver = dns.Resolver();

        var failure = await Assert.ThrowsAsync<PeerException>(() => Locator(resolver).LocateAsync("b..example", default));

        Assert.True(failure.Permanent);
        Assert.Equal(0, dns.UdpQueries);
    }

    [Fact]
    public async Task ConnectAsync_SrvTargetWithoutAddress_IsTemporary()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Srv(Service, 10, 0, 7999, "gone.b.example"));
        var resolver = dns.Resolver();
        var options = new ButterflyOptions { Domains = ["a.example"] };
        var connector = new PeerConnector(options, new PeerLocator(options, resolver), resolver, NullLogger.Instance);

        var failure = await Assert.ThrowsAsync<PeerException>(() => connector.ConnectAsync("b.example", default));

        Assert.False(failure.Permanent);
        Assert.Equal("peer.unreachable", failure.Code);
        Assert.Contains("gone.b.example has no address", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliverAsync_PeerFoundBySrv_Delivers()
    {
        using var directory = new TempDirectory("butterfly-srv");
        await using var network = await PeerNetwork.StartAsync(directory.Path, ["a.example", "b.example"], users: ["bob@b.example"]);
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Srv(Service, 10, 0, (ushort)network.PortOf("b.example"), "mail.b.example"), TestRecord.A("mail.b.example", "127.0.0.1"));
        var resolver = dns.Resolver();

        // The sending side has no static entry for b.example: SRV, then the target's A record.
        var options = new ButterflyOptions { Domains = ["a.example"] };
        options.Federation.Secret = PeerNetwork.SecretOf("a.example");
        var connector = new PeerConnector(options, new PeerLocator(options, resolver), resolver, NullLogger.Instance);
        await using var transport = new PeerTransport(options, connector, DialbackKeys.Load(options), NullLogger.Instance);

        var results = await transport.DeliverAsync(
            "b.example", PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 1, TestMessages.Simple("alice@a.example", "bob@b.example", "via srv"), default);

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(results).Status);
        Assert.Single(await PeerTestKit.ListAsync(network, "bob@b.example"), m => m.Subject == "via srv");
    }

    private static PeerLocator Locator(IDnsResolver resolver, PeerTlsPolicy policy = PeerTlsPolicy.Opportunistic)
    {
        var options = new ButterflyOptions { Domains = ["a.example"] };
        options.Federation.Tls = policy;
        return new PeerLocator(options, resolver);
    }
}
