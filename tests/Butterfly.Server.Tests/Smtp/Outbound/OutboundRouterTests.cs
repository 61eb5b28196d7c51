using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Federation;
using Butterfly.Server.Smtp.Outbound;
using Butterfly.Server.Tests.Dns;

namespace Butterfly.Server.Tests.Smtp.Outbound;

/// <summary>
/// Where mail for a domain goes, against the loopback DNS server: static peer, SMTP route, Butterfly SRV, smarthost,
/// then MX (implicit MX without records, RFC 5321 §5.1; null MX, RFC 7505, is no mail at all).
/// </summary>
public sealed class OutboundRouterTests
{
    [Fact]
    public async Task DecideAsync_MxRecords_SmtpToTheMxHostsOnPort25InOrder()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Mx("b.example", 20, "backup.b.example"), TestRecord.Mx("b.example", 10, "mx.b.example"));

        var decision = await Router(dns).DecideAsync("b.example", CancellationToken.None);

        Assert.Equal(RemoteVia.Smtp, decision.Via);
        Assert.Equal([("mx.b.example", 25, "mx"), ("backup.b.example", 25, "mx")], decision.Destinations.Select(d => (d.Host, d.Port, d.Source)));
    }

    [Fact]
    public async Task DecideAsync_NoMxButAnAddress_TheDomainItselfIsTheImplicitMx()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.A("b.example", "192.0.2.1"));

        var decision = await Router(dns).DecideAsync("b.example", CancellationToken.None);

        Assert.Equal(RemoteVia.Smtp, decision.Via);
        Assert.Equal(("b.example", 25, "implicit-mx"), Assert.Single(decision.Destinations.Select(d => (d.Host, d.Port, d.Source))));
    }

    [Theory]
    [InlineData("null", "null MX (RFC 7505)")]
    [InlineData("nxdomain", "does not exist")]
    [InlineData("nodata", "no Butterfly server, no MX record and no address")]
    public async Task DecideAsync_DomainTakesNoMail_NoneWithTheReason(string kind, string reason)
    {
        await using var dns = new LoopbackDnsServer();
        if (kind == "null")
        {
            dns.Add(TestRecord.Mx("b.example", 0, "."));
        }
        else if (kind == "nodata")
        {
            dns.Add(TestRecord.Txt("b.example", "v=spf1 -all"));
        }

        var decision = await Router(dns).DecideAsync("b.example", CancellationToken.None);
        var route = await Router(dns).ResolveAsync("b.example", CancellationToken.None);

        Assert.Equal(RemoteVia.None, decision.Via);
        Assert.Contains(reason, decision.Problem, StringComparison.Ordinal);
        Assert.Equal(RemoteVia.None, route.Via);
    }

    [Fact]
    public async Task DecideAsync_ButterflySrvPublished_ButterflyEvenWithMx()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Srv("_butterfly._tcp.b.example", 0, 0, 7410, "bf.b.example"), TestRecord.Mx("b.example", 10, "mx.b.example"));

        var decision = await Router(dns).DecideAsync("b.example", CancellationToken.None);

        Assert.Equal(RemoteVia.Butterfly, decision.Via);
    }

    [Fact]
    public async Task DecideAsync_SrvSaysNotOffered_SmtpInstead()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Srv("_butterfly._tcp.b.example", 0, 0, 0, "."), TestRecord.Mx("b.example", 10, "mx.b.example"));

        var decision = await Router(dns, o => o.Federation.Tls = PeerTlsPolicy.Off).DecideAsync("b.example", CancellationToken.None);

        Assert.Equal(RemoteVia.Smtp, decision.Via);
    }

    [Fact]
    public async Task DecideAsync_RouteAndPeer_PeerFirstThenRouteBeforeDns()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Srv("_butterfly._tcp.b.example", 0, 0, 7410, "bf.b.example"), TestRecord.Srv("_butterfly._tcp.c.example", 0, 0, 7410, "bf.c.example"));
        var router = Router(dns, o =>
        {
            o.Peers["c.example"] = new PeerOptions { Address = "127.0.0.1:7410" };
            o.Smtp.Routes["b.example"] = "127.0.0.1:2525";
            o.Smtp.Routes["c.example"] = "127.0.0.1:2526";
        });

        var routed = await router.DecideAsync("B.example", CancellationToken.None);
        var peer = await router.DecideAsync("c.example", CancellationToken.None);

        Assert.Equal(("127.0.0.1", 2525, "route"), Assert.Single(routed.Destinations.Select(d => (d.Host, d.Port, d.Source))));
        Assert.Equal(RemoteVia.Butterfly, peer.Via);
    }

    [Fact]
    public async Task DecideAsync_Smarthost_TakesEverySmtpDomainWithTlsRequired()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Mx("b.example", 10, "mx.b.example"));
        var router = Router(dns, o => o.Smtp.Smarthost = new SmarthostOptions { Host = "relay.a.example", Port = 587 });

        var destination = Assert.Single((await router.DecideAsync("b.example", CancellationToken.None)).Destinations);

        Assert.Equal(("relay.a.example", 587, "smarthost", true), (destination.Host, destination.Port, destination.Source, destination.TlsRequired));
    }

    [Fact]
    public async Task ResolveAsync_DnsDoesNotAnswer_UnknownNotRefused()
    {
        await using var dns = new LoopbackDnsServer { ForcedResponseCode = 2 };

        var route = await Router(dns).ResolveAsync("b.example", CancellationToken.None);

        Assert.Equal(RemoteVia.Unknown, route.Via);
    }

    [Fact]
    public async Task DecideAsync_RoutesChangedAfterStart_TheNextDecisionUsesThem()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Mx("b.example", 10, "mx.b.example"));
        var options = Options();
        var router = new OutboundRouter(options, new PeerLocator(options, dns.Resolver()), dns.Resolver());

        var before = await router.DecideAsync("b.example", CancellationToken.None);
        options.Smtp.Routes["b.example"] = "127.0.0.1:2525";
        var after = await router.DecideAsync("b.example", CancellationToken.None);

        Assert.Equal("mx", Assert.Single(before.Destinations).Source);
        Assert.Equal("route", Assert.Single(after.Destinations).Source);
    }

    private static ButterflyOptions Options(Action<ButterflyOptions>? configure = null)
    {
        var options = new ButterflyOptions { Domains = ["a.example"] };
        configure?.Invoke(options);
        return options;
    }

    private static OutboundRouter Router(LoopbackDnsServer dns, Action<ButterflyOptions>? configure = null)
    {
        var options = Options(configure);
        var resolver = dns.Resolver();
        return new OutboundRouter(options, new PeerLocator(options, resolver), resolver);
    }
}
