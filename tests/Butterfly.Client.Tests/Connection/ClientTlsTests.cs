using System.Security.Cryptography.X509Certificates;
using Butterfly.Client.Tests.Fakes;
using Butterfly.Protocol.Tls;
using Butterfly.TestUtilities;
using Xunit;

namespace Butterfly.Client.Tests.Connection;

/// <summary>
/// The client's TLS (protocol/client.md, "TLS") against a real TLS server on loopback with
/// certificates made here: chain and name validated, a private CA, pins.
/// </summary>
public sealed class ClientTlsTests : IDisposable
{
    private readonly TestCertificates _ca = TestCertificates.CreateAuthority();

    public void Dispose() => _ca.Dispose();

    private static Task PongAsync(FakeConnection connection, FakeRequest request) =>
        connection.SendAsync(request.Tag, """{"ok":true}""");

    private FakeServer Server(X509Certificate2 certificate) => new(PongAsync, certificate: certificate);

    [Fact]
    public async Task ConnectAsync_PrivateCaTrusted_ConnectsOverTlsAndChecksTheName()
    {
        using var certificate = _ca.Issue("localhost");
        await using var server = Server(certificate);

        await using var client = await ButterflyClient.ConnectAsync("localhost", server.Port, new ButterflyClientOptions { TrustedRoots = [_ca.Authority] });
        await client.PingAsync();

        Assert.True(client.IsEncrypted);
        Assert.Equal(certificate.RawData, client.ServerCertificate!.GetRawCertData());
    }

    [Fact]
    public async Task ConnectAsync_ChainNotTrusted_RefusedAsUntrusted()
    {
        using var certificate = _ca.Issue("localhost");
        await using var server = Server(certificate);

        // The test CA is not among the system's roots.
        var failure = await Assert.ThrowsAsync<ButterflyConnectionException>(() =>
            ButterflyClient.ConnectAsync("localhost", server.Port, new ButterflyClientOptions { Tls = ButterflyTlsMode.Required }));

        Assert.Equal("tls.untrusted", failure.Code);
    }

    [Fact]
    public async Task ConnectAsync_OtherCaGiven_RefusedAsUntrusted()
    {
        using var other = TestCertificates.CreateAuthority("Another CA");
        using var certificate = _ca.Issue("localhost");
        await using var server = Server(certificate);

        var failure = await Assert.ThrowsAsync<ButterflyConnectionException>(() =>
            ButterflyClient.ConnectAsync("localhost", server.Port, new ButterflyClientOptions { TrustedRoots = [other.Authority] }));

        Assert.Equal("tls.untrusted", failure.Code);
    }

    [Fact]
    public async Task ConnectAsync_CertificateForAnotherName_RefusedAsNameMismatch()
    {
        using var certificate = _ca.Issue("mail.example.org");
        await using var server = Server(certificate);

        var failure = await Assert.ThrowsAsync<ButterflyConnectionException>(() =>
            ButterflyClient.ConnectAsync("localhost", server.Port, new ButterflyClientOptions { TrustedRoots = [_ca.Authority] }));

        Assert.Equal("tls.name-mismatch", failure.Code);
        Assert.Contains("mail.example.org", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_TlsServerNameGiven_ValidatesThatNameAtAnAddress()
    {
        using var certificate = _ca.Issue("mail.example.org");
        await using var server = Server(certificate);

        await using var client = await ButterflyClient.ConnectAsync("127.0.0.1", server.Port, new ButterflyClientOptions
        {
            TrustedRoots = [_ca.Authority],
            TlsServerName = "mail.example.org",
        });

        Assert.True(client.IsEncrypted);
    }

    [Theory]
    [InlineData(CertificatePinKind.Certificate)]
    [InlineData(CertificatePinKind.PublicKey)]
    public async Task ConnectAsync_PinMatchesSelfSigned_Connects(CertificatePinKind kind)
    {
        // Self-signed and for another name: a pin accepts exactly this certificate, nothing else is checked.
        using var certificate = TestCertificates.SelfSigned("butterfly.internal");
        await using var server = Server(certificate);
        var pin = CertificatePin.Parse(CertificatePin.Of(certificate, kind).ToString().ToUpperInvariant());

        await using var client = await ButterflyClient.ConnectAsync("127.0.0.1", server.Port, new ButterflyClientOptions { Pins = [pin] });
        await client.PingAsync();

        Assert.True(client.IsEncrypted);
    }

    [Fact]
    public async Task ConnectAsync_PinDoesNotMatch_RefusedAsPinMismatch()
    {
        using var certificate = _ca.Issue("localhost");
        using var other = _ca.Issue("localhost");
        await using var server = Server(certificate);

        // Even a certificate the CA vouches for is refused when another one is pinned.
        var failure = await Assert.ThrowsAsync<ButterflyConnectionException>(() => ButterflyClient.ConnectAsync("localhost", server.Port, new ButterflyClientOptions
        {
            TrustedRoots = [_ca.Authority],
            Pins = [CertificatePin.Of(other, CertificatePinKind.PublicKey)],
        }));

        Assert.Equal("tls.pin-mismatch", failure.Code);
    }

    [Fact]
    public async Task ConnectAsync_LoopbackByDefault_StaysPlain()
    {
        await using var server = new FakeServer(PongAsync);

        await using var client = await ButterflyClient.ConnectAsync(server.Endpoint);

        Assert.False(client.IsEncrypted);
        Assert.Null(client.ServerCertificate);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.8.9.10", false)]
    [InlineData("::1", false)]
    [InlineData("LOCALHOST", false)]
    [InlineData("mail.example.org", true)]
    [InlineData("192.0.2.7", true)]
    [InlineData("2001:db8::1", true)]
    public void UsesTls_AutoMode_TlsForEveryHostButLoopback(string host, bool expected) =>
        Assert.Equal(expected, ButterflyClient.UsesTls(host, new ButterflyClientOptions()));

    [Theory]
    [InlineData("mail.example.org", "mail.example.org", 7411)]
    [InlineData("127.0.0.1", "127.0.0.1", 7410)]
    [InlineData("mail.example.org:7410", "mail.example.org", 7410)]
    public void Parse_NoPort_TlsPortWhenTheConnectionSpeaksTls(string text, string host, int port) =>
        Assert.Equal(new ButterflyEndpoint(host, port), ButterflyEndpoint.Parse(text, new ButterflyClientOptions()));

    [Theory]
    [InlineData("sha256:")]
    [InlineData("sha256:abcd")]
    [InlineData("md5:0123456789abcdef0123456789abcdef")]
    [InlineData("spki-sha256:not base64 at all, is it? no.....")]
    public void TryParse_MalformedPin_False(string text) => Assert.False(CertificatePin.TryParse(text, out _));
}
