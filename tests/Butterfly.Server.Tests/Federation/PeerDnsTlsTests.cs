using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Federation;
using Butterfly.Server.Mail;
using Butterfly.Server.Tests.Dns;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Butterfly.Server.Tests.Federation;

/// <summary>
/// A peer found through DNS gets TLS like a configured one (protocol/peer.md, "TLS"): b.example
/// serves a certificate for its domain from a private CA on its TLS listener, published as
/// <c>_butterflys._tcp.b.example</c>; its plain port is published as <c>_butterfly._tcp</c>.
/// </summary>
public sealed class PeerDnsTlsTests : IAsyncLifetime
{
    private const string A = "a.example";
    private const string B = "b.example";

    private readonly TempDirectory _directory = new("butterfly-peer-dns-tls");
    private readonly TestCertificates _ca = TestCertificates.CreateAuthority("Federation CA");
    private readonly LoopbackDnsServer _dns = new();
    private PeerNetwork _network = null!;
    private int _tlsPort;

    public async Task InitializeAsync()
    {
        _ca.WriteAuthority(Path.Combine(_directory.Path, "ca.pem"));
        using (var certificate = _ca.Issue(B))
        {
            (_network, var endpoint) = await PeerTestKit.StartWithTlsAsync(_directory.Path, certificate);
            _tlsPort = int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }

        _dns.Add(TestRecord.A("mail.b.example", "127.0.0.1"));
    }

    public async Task DisposeAsync()
    {
        await _network.DisposeAsync();
        await _dns.DisposeAsync();
        _ca.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task DeliverAsync_TlsRequiredPeerFoundBySrv_DeliversOverValidatedTls()
    {
        _dns.Add(TestRecord.Srv($"_butterflys._tcp.{B}", 10, 0, (ushort)_tlsPort, "mail.b.example"));
        await using var transport = Sender(PeerTlsPolicy.Required, trustCa: true);

        var results = await transport.DeliverAsync(B, PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 1, TestMessages.Simple("alice@a.example", "bob@b.example", "dns over tls"), default);

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(results).Status);
        Assert.Single(await PeerTestKit.ListAsync(_network, "bob@b.example"), m => m.Subject == "dns over tls");
    }

    [Fact]
    public async Task ConnectAsync_OpportunisticWithBothSrvRecords_TakesTlsFirst()
    {
        // The plain SRV record has the better priority; TLS still comes first.
        _dns.Add(
            TestRecord.Srv($"_butterfly._tcp.{B}", 0, 0, (ushort)_network.PortOf(B), "mail.b.example"),
            TestRecord.Srv($"_butterflys._tcp.{B}", 10, 0, (ushort)_tlsPort, "mail.b.example"));
        var options = SenderOptions(PeerTlsPolicy.Opportunistic, trustCa: true);
        var connector = new PeerConnector(options, new PeerLocator(options, _dns.Resolver()), _dns.Resolver(), NullLogger.Instance);

        var (connection, _) = await connector.ConnectAsync(B, default);
        await using (connection)
        {
            Assert.Contains($":{_tlsPort}", connection.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DeliverAsync_UntrustedCertificate_NeverFallsBackToPlain()
    {
        // Both published, but the sender does not trust the peer's CA: a refused certificate is a
        // temporary failure, not a reason to speak in clear.
        _dns.Add(
            TestRecord.Srv($"_butterflys._tcp.{B}", 10, 0, (ushort)_tlsPort, "mail.b.example"),
            TestRecord.Srv($"_butterfly._tcp.{B}", 10, 0, (ushort)_network.PortOf(B), "mail.b.example"));
        await using var transport = Sender(PeerTlsPolicy.Opportunistic, trustCa: false);

        var failure = await Assert.ThrowsAsync<PeerException>(() => transport.DeliverAsync(
            B, PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 1, TestMessages.Simple("alice@a.example", "bob@b.example", "no downgrade"), default));

        Assert.False(failure.Permanent);
        Assert.Contains("does not lead to", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await PeerTestKit.ListAsync(_network, "bob@b.example"), m => m.Subject == "no downgrade");
    }

    [Fact]
    public async Task DeliverAsync_OpportunisticAndNoTlsListenerAnswers_DeliversPlain()
    {
        // A TLS record whose port accepts nothing: no certificate was shown, so plain is allowed.
        int closed;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            closed = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        _dns.Add(
            TestRecord.Srv($"_butterflys._tcp.{B}", 10, 0, (ushort)closed, "mail.b.example"),
            TestRecord.Srv($"_butterfly._tcp.{B}", 10, 0, (ushort)_network.PortOf(B), "mail.b.example"));
        await using var transport = Sender(PeerTlsPolicy.Opportunistic, trustCa: true);

        var results = await transport.DeliverAsync(B, PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 1, TestMessages.Simple("alice@a.example", "bob@b.example", "plain fallback"), default);

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(results).Status);
    }

    [Fact]
    public async Task DeliverAsync_CertificateNamesTheSrvTargetOnly_IsRefused()
    {
        // A certificate for the SRV target proves the target's name, not the peer domain's.
        using var targetCertificate = _ca.Issue("mail.b.example");
        await using var server = new Butterfly.Server.Tests.Tls.TlsHandshakeServer(targetCertificate);
        _dns.Add(TestRecord.Srv($"_butterflys._tcp.{B}", 10, 0, (ushort)server.Port, "mail.b.example"));
        await using var transport = Sender(PeerTlsPolicy.Required, trustCa: true);

        var failure = await Assert.ThrowsAsync<PeerException>(() => transport.DeliverAsync(
            B, PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 1, TestMessages.Simple("alice@a.example", "bob@b.example", "target name"), default));

        Assert.Contains("not b.example", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliverAsync_TlsRequiredButOnlyPlainPublished_FailsTemporarily()
    {
        _dns.Add(TestRecord.Srv($"_butterfly._tcp.{B}", 10, 0, (ushort)_network.PortOf(B), "mail.b.example"));
        await using var transport = Sender(PeerTlsPolicy.Required, trustCa: true);

        var failure = await Assert.ThrowsAsync<PeerException>(() => transport.DeliverAsync(
            B, PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 1, TestMessages.Simple("alice@a.example", "bob@b.example", "plain only"), default));

        Assert.False(failure.Permanent);
        Assert.DoesNotContain(await PeerTestKit.ListAsync(_network, "bob@b.example"), m => m.Subject == "plain only");
    }

    private PeerTransport Sender(PeerTlsPolicy policy, bool trustCa)
    {
        var options = SenderOptions(policy, trustCa);
        var resolver = _dns.Resolver();
        var connector = new PeerConnector(options, new PeerLocator(options, resolver), resolver, NullLogger.Instance);
        return new PeerTransport(options, connector, DialbackKeys.Load(options), NullLogger.Instance);
    }

    // The sending side has no static entry for b.example: discovery goes through DNS.
    private ButterflyOptions SenderOptions(PeerTlsPolicy policy, bool trustCa)
    {
        var options = new ButterflyOptions { Domains = [A], ConfigDirectory = _directory.Path };
        options.Federation.Secret = PeerNetwork.SecretOf(A);
        options.Federation.ConnectTimeoutSeconds = 5;
        options.Federation.RequestTimeoutSeconds = 20;
        options.Federation.Tls = policy;
        options.Federation.CaFile = trustCa ? "ca.pem" : null;
        return options;
    }
}
