using System.Security.Cryptography.X509Certificates;
using Butterfly.Protocol.Tls;

namespace Butterfly.Client;

/// <summary>Settings for a <see cref="ButterflyClient"/> connection.</summary>
public sealed class ButterflyClientOptions
{
    /// <summary>How long a request waits for its reply before it fails with <see cref="TimeoutException"/>.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the TCP connect and the hello exchange may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest frame payload accepted from the server; a larger one closes the connection.</summary>
    public int MaxFrameBytes { get; set; } = 64 << 20;

    /// <summary>
    /// The most requests this client keeps in flight on the connection; more wait for a slot
    /// (the wait counts toward their timeout). Null: the server's announced <c>maxInFlight</c>;
    /// 0: no limit.
    /// </summary>
    public int? MaxInFlight { get; set; }

    /// <summary>
    /// Events (frames the server pushes with tag 0) kept while nobody reads them. Past it further events
    /// are dropped and the next read of <see cref="ButterflyClient.ReadEventsAsync"/> yields an
    /// <c>events.overflow</c>: the client must resync, as when the server's own queue overflows.
    /// </summary>
    public int MaxQueuedEvents { get; set; } = 4096;

    /// <summary>Whether to speak TLS; by default TLS to every host but a loopback one.</summary>
    public ButterflyTlsMode Tls { get; set; } = ButterflyTlsMode.Auto;

    /// <summary>The name the server's certificate must carry (and the SNI name); null: the host connected to.</summary>
    public string? TlsServerName { get; set; }

    /// <summary>
    /// The only roots to trust, for a server with a private CA (see <see cref="TlsTrust.LoadRoots"/>);
    /// null: the system's trusted roots. The chain and the name are checked either way.
    /// </summary>
    public X509Certificate2Collection? TrustedRoots { get; set; }

    /// <summary>
    /// Certificates accepted as they are, by the SHA-256 of the certificate or of its public key
    /// (<see cref="CertificatePin.Parse"/>): for a self-signed server. When any is given, chain
    /// and name are not checked.
    /// </summary>
    public IReadOnlyList<CertificatePin> Pins { get; set; } = [];

    /// <summary>The client name sent in the hello request.</summary>
    public string ClientName { get; set; } = "butterfly-client/" + Protocol.ButterflyVersion.Current;
}
