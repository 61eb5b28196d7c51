using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Tls;

/// <summary>
/// The real daemon with a TLS listener (<c>tls.listen</c>) whose certificate, for
/// <c>localhost</c>, a private CA made in the test issued; one account, alice@example.org.
/// </summary>
internal sealed class TlsDaemon : IAsyncDisposable
{
    public const string User = "alice@example.org";
    public const string Password = "alice-password";

    private readonly TempDirectory _directory;

    private TlsDaemon(TempDirectory directory, TestCertificates ca, X509Certificate2 certificate, DaemonProcess daemon, string tlsEndPoint)
    {
        _directory = directory;
        Ca = ca;
        Certificate = certificate;
        Daemon = daemon;
        TlsEndPoint = tlsEndPoint;
    }

    public TestCertificates Ca { get; }

    /// <summary>The certificate the daemon started with.</summary>
    public X509Certificate2 Certificate { get; }

    public DaemonProcess Daemon { get; }

    /// <summary>HOST:PORT of the TLS listener (HOST is 127.0.0.1).</summary>
    public string TlsEndPoint { get; }

    public int TlsPort => int.Parse(TlsEndPoint[(TlsEndPoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    public string Folder => _directory.Path;

    public string CertificatePath => Path.Combine(Folder, "cert.pem");

    public string KeyPath => Path.Combine(Folder, "key.pem");

    /// <summary>The CA certificate as a PEM file.</summary>
    public string CaPath => Path.Combine(Folder, "ca.pem");

    /// <summary>Starts the daemon.</summary>
    /// <param name="configure">Changes to the tls section.</param>
    public static async Task<TlsDaemon> StartAsync(Action<JsonObject>? configure = null)
    {
        var directory = new TempDirectory("butterfly-tls");
        var ca = TestCertificates.CreateAuthority();
        try
        {
            var certificate = ca.Issue("localhost", "127.0.0.1");
            TestCertificates.WritePem(certificate, Path.Combine(directory.Path, "cert.pem"), Path.Combine(directory.Path, "key.pem"));
            ca.WriteAuthority(Path.Combine(directory.Path, "ca.pem"));
            var config = DaemonProcess.WriteConfig(directory.Path, ["example.org"], json =>
            {
                var tls = new JsonObject { ["listen"] = "127.0.0.1:0", ["certificate"] = "cert.pem", ["key"] = "key.pem" };
                configure?.Invoke(tls);
                json["tls"] = tls;
            });
            var added = await CliProcess.RunAsync(["user", "add", User, "--password-stdin", "--config", config], Password + "\n");
            Assert.True(added.ExitCode == 0, added.ToString());
            var daemon = await DaemonProcess.StartAsync(config);

            return new TlsDaemon(directory, ca, certificate, daemon, await Federation.PeerTestKit.TlsEndPointAsync(daemon));
        }
        catch
        {
            ca.Dispose();
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Connects to the TLS listener as <c>localhost</c>, trusting the test CA.</summary>
    public Task<ButterflyClient> ConnectAsync() =>
        ButterflyClient.ConnectAsync("localhost", TlsPort, new ButterflyClientOptions { TrustedRoots = [Ca.Authority] });

    /// <summary>The SHA-256 of the certificate a new connection gets.</summary>
    public async Task<string> CertificateOfNewConnectionAsync()
    {
        await using var client = await ConnectAsync();
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(client.ServerCertificate!.GetRawCertData()));
    }

    /// <summary>The environment that makes the CLI log in as alice over TLS.</summary>
    public Dictionary<string, string> Environment() => new()
    {
        ["BUTTERFLY_SERVER"] = $"localhost:{TlsPort}",
        ["BUTTERFLY_USER"] = User,
        ["BUTTERFLY_PASSWORD"] = Password,
    };

    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync();
        Certificate.Dispose();
        Ca.Dispose();
        _directory.Dispose();
    }
}
