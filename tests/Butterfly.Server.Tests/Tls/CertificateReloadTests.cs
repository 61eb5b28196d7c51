using System.Text.Json.Nodes;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Tls;

/// <summary>
/// The TLS listener's certificate is reloaded when its files change and on SIGHUP, without
/// dropping open connections (protocol/peer.md, "TLS"; README, "TLS").
/// </summary>
public sealed class CertificateReloadTests
{
    [Fact]
    public async Task Reload_FilesReplaced_NewConnectionsGetTheNewCertificateAndOpenOnesGoOn()
    {
        await using var daemon = await TlsDaemon.StartAsync();
        await using var open = await daemon.ConnectAsync();
        await open.LoginAsync(TlsDaemon.User, TlsDaemon.Password);
        Assert.Equal(TestCertificates.Sha256(daemon.Certificate), await daemon.CertificateOfNewConnectionAsync());

        using var renewed = daemon.Ca.Issue("localhost", "127.0.0.1");
        TestCertificates.WritePem(renewed, daemon.CertificatePath, daemon.KeyPath);

        var expected = TestCertificates.Sha256(renewed);
        await Eventually.TrueAsync(async () => await daemon.CertificateOfNewConnectionAsync() == expected, "a new connection gets the renewed certificate");

        // The connection opened before the swap still serves its session.
        await open.PingAsync();
        var folders = await open.ListFoldersAsync();
        Assert.Contains(folders, f => f.Name == "Inbox");
        Assert.True(open.IsConnected);
        Assert.Equal(daemon.Certificate.RawData, open.ServerCertificate!.GetRawCertData());
    }

    [Fact]
    public async Task Reload_BrokenNewCertificate_KeepsTheOneInUseAndLogs()
    {
        await using var daemon = await TlsDaemon.StartAsync();

        // A key that does not belong to the certificate, as a half-finished renewal leaves it.
        using var stranger = TestCertificates.SelfSigned("localhost");
        TestCertificates.WritePem(stranger, Path.Combine(daemon.Folder, "other-cert.pem"), daemon.KeyPath);

        await Eventually.TrueAsync(() => daemon.Daemon.Output.Contains("TLS certificate not reloaded", StringComparison.Ordinal), "the daemon logs the refused certificate");
        Assert.Equal(TestCertificates.Sha256(daemon.Certificate), await daemon.CertificateOfNewConnectionAsync());
        Assert.False(daemon.Daemon.HasExited);
    }

    [Fact]
    public async Task SigHup_NoTlsListener_LoggedAndTheProcessGoesOn()
    {
        using var directory = new TempDirectory("butterfly-hup");
        await using var daemon = await DaemonProcess.StartAsync(DaemonProcess.WriteConfig(directory.Path));

        daemon.HangUp();

        await Eventually.TrueAsync(() => daemon.Output.Contains("Configuration reloaded (SIGHUP)", StringComparison.Ordinal) || daemon.HasExited, "the daemon logs the signal");
        Assert.False(daemon.HasExited, daemon.Output);
        // The hello exchange is answered: the daemon still serves.
        await using var client = await Butterfly.Client.ButterflyClient.ConnectAsync(daemon.EndPoint);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task SigHup_ReloadsTheCertificateAndTheProcessGoesOn()
    {
        // File watching off: only the signal can make the daemon read the new files.
        await using var daemon = await TlsDaemon.StartAsync(tls => tls["reloadOnChange"] = false);
        await using var open = await daemon.ConnectAsync();
        await open.LoginAsync(TlsDaemon.User, TlsDaemon.Password);
        using var renewed = daemon.Ca.Issue("localhost", "127.0.0.1");
        TestCertificates.WritePem(renewed, daemon.CertificatePath, daemon.KeyPath);

        daemon.Daemon.HangUp();

        await Eventually.TrueAsync(() => daemon.Daemon.Output.Contains("TLS certificate reloaded (SIGHUP)", StringComparison.Ordinal) || daemon.Daemon.HasExited, "the daemon logs the reload");
        Assert.False(daemon.Daemon.HasExited, daemon.Daemon.Output);
        Assert.Equal(TestCertificates.Sha256(renewed), await daemon.CertificateOfNewConnectionAsync());
        await open.PingAsync();
        Assert.True(open.IsConnected);
    }
}
