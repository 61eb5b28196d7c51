using System.Text.Json;
using Butterfly.Protocol.Tls;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Tls;

/// <summary>The <c>butterfly</c> executable over TLS to the real daemon: --ca, --pin, the environment, and refusals.</summary>
public sealed class CliTlsTests : IAsyncLifetime
{
    private TlsDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await TlsDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task Folders_PrivateCaGiven_WorksOverTls()
    {
        var result = await CliProcess.RunAsync(["folders", "--json", "--ca", _daemon.CaPath], environment: _daemon.Environment());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Inbox", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Folders_CaFromEnvironment_WorksOverTls()
    {
        var environment = _daemon.Environment();
        environment["BUTTERFLY_CA"] = _daemon.CaPath;

        var result = await CliProcess.RunAsync(["folders"], environment: environment);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Folders_NoCaForAPrivateCertificate_RefusedAsUntrusted()
    {
        // localhost is loopback: --tls asks for TLS, and the system's roots do not know the test CA.
        var result = await CliProcess.RunAsync(["folders", "--tls", "--json"], environment: _daemon.Environment());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("tls.untrusted", Code(result));
    }

    [Fact]
    public async Task Folders_AddressWithoutTlsName_RefusedAsNameMismatchUnlessNamed()
    {
        // The certificate names localhost and 127.0.0.1, not mail.example.org.
        var environment = _daemon.Environment();
        environment["BUTTERFLY_SERVER"] = _daemon.TlsEndPoint;

        var wrong = await CliProcess.RunAsync(["folders", "--ca", _daemon.CaPath, "--tls-name", "mail.example.org", "--json"], environment: environment);
        var right = await CliProcess.RunAsync(["folders", "--ca", _daemon.CaPath, "--tls-name", "localhost"], environment: environment);

        Assert.Equal("tls.name-mismatch", Code(wrong));
        Assert.True(right.ExitCode == 0, right.ToString());
    }

    [Fact]
    public async Task Folders_PinnedCertificate_WorksAndAWrongPinIsRefused()
    {
        var pin = CertificatePin.Of(_daemon.Certificate, CertificatePinKind.Certificate).ToString();
        var key = CertificatePin.Of(_daemon.Certificate, CertificatePinKind.PublicKey).ToString();
        var wrongPin = "sha256:" + new string('0', 64);

        var byCertificate = await CliProcess.RunAsync(["folders", "--pin", pin], environment: _daemon.Environment());
        var byKey = await CliProcess.RunAsync(["folders", "--pin", key], environment: _daemon.Environment());
        var wrong = await CliProcess.RunAsync(["folders", "--pin", wrongPin, "--json"], environment: _daemon.Environment());

        Assert.True(byCertificate.ExitCode == 0, byCertificate.ToString());
        Assert.True(byKey.ExitCode == 0, byKey.ToString());
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal("tls.pin-mismatch", Code(wrong));
    }

    [Fact]
    public async Task Folders_TlsToThePlainPort_FailsWithATlsError()
    {
        var environment = _daemon.Environment();
        environment["BUTTERFLY_SERVER"] = _daemon.Daemon.EndPoint;

        var result = await CliProcess.RunAsync(["folders", "--ca", _daemon.CaPath, "--json"], environment: environment);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("tls.handshake-failed", Code(result));
    }

    [Fact]
    public async Task Folders_TlsAndPlainTogether_IsAUsageError()
    {
        var result = await CliProcess.RunAsync(["folders", "--tls", "--plain"], environment: _daemon.Environment());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--tls and --plain", result.Stderr, StringComparison.Ordinal);
    }

    private static string? Code(CliResult result) =>
        JsonDocument.Parse(result.Stderr).RootElement.GetProperty("error").GetProperty("code").GetString();
}
