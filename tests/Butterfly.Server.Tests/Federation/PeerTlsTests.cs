using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Federation;
using Butterfly.Server.Mail;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Federation;

/// <summary>Peer connections over TLS (protocol/peer.md, "TLS"): b.example serves a self-signed certificate on a second listener.</summary>
public sealed class PeerTlsTests : IAsyncLifetime
{
    private const string A = "a.example";
    private const string B = "b.example";

    private readonly TempDirectory _directory = new("butterfly-peer-tls");
    private PeerNetwork _network = null!;
    private string _pin = string.Empty;
    private string _tlsEndPoint = string.Empty;

    public async Task InitializeAsync()
    {
        using var certificate = TestCertificates.SelfSigned(B);
        _pin = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate.RawData));
        (_network, _tlsEndPoint) = await PeerTestKit.StartWithTlsAsync(_directory.Path, certificate);
    }

    public async Task DisposeAsync()
    {
        await _network.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task DeliverAsync_PinnedSelfSignedPeer_DeliversOverTls()
    {
        // The pin is given in upper case with colons, as tools print fingerprints.
        var pin = string.Join(':', _pin.Chunk(2).Select(c => new string(c)));
        await using var transport = PeerTestKit.Transport(_network, A, o => o.Peers[B] = new PeerOptions { Address = _tlsEndPoint, Tls = true, Pin = pin });

        var results = await transport.DeliverAsync(B, PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 1, TestMessages.Simple("alice@a.example", "bob@b.example", "over tls"), default);

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(results).Status);
        Assert.Single(await PeerTestKit.ListAsync(_network, "bob@b.example"), m => m.Subject == "over tls");
    }

    [Fact]
    public async Task DeliverAsync_UnpinnedSelfSignedPeer_FailsValidationTemporarily()
    {
        await using var transport = PeerTestKit.Transport(_network, A, o => o.Peers[B] = new PeerOptions { Address = _tlsEndPoint, Tls = true });

        var failure = await Assert.ThrowsAsync<PeerException>(() => transport.DeliverAsync(
            B, PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 1, TestMessages.Simple("alice@a.example", "bob@b.example", "untrusted"), default));

        Assert.False(failure.Permanent);
        Assert.Equal("peer.unreachable", failure.Code);
        Assert.DoesNotContain(await PeerTestKit.ListAsync(_network, "bob@b.example"), m => m.Subject == "untrusted");
    }

    [Fact]
    public async Task DeliverAsync_WrongPin_IsRefused()
    {
        await using var transport = PeerTestKit.Transport(_network, A, o => o.Peers[B] = new PeerOptions { Address = _tlsEndPoint, Tls = true, Pin = new string('0', 64) });

        var failure = await Assert.ThrowsAsync<PeerException>(() => transport.DeliverAsync(
            B, PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 1, TestMessages.Simple("alice@a.example", "bob@b.example", "wrong pin"), default));

        Assert.False(failure.Permanent);
    }
}
