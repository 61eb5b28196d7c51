using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Butterfly.Protocol.Tls;

namespace Butterfly.Server.Configuration;

/// <summary>The federation section of <c>butterfly.json</c>: dialback and peer connections (protocol/peer.md).</summary>
public sealed class FederationOptions
{
    /// <summary>The port a peer is assumed to listen on when discovery falls back to the domain's own address.</summary>
    public const int DefaultPort = 7410;

    /// <summary>The port a peer is assumed to speak TLS on when discovery falls back to the domain's own address.</summary>
    public const int DefaultTlsPort = 7411;

    /// <summary>
    /// The dialback secret. Null (the default) means a random secret generated once and kept in
    /// <c>&lt;data&gt;/dialback.secret</c> (mode 0600). Servers of one domain behind several
    /// addresses must share it.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Seconds a verified (peer domain, local domain, connection) triple may be resumed without a new callback. Default 3600; 0 turns resumption off.</summary>
    public double VerifyCacheSeconds { get; set; } = 3600;

    /// <summary>Seconds to wait for a peer's TCP (and TLS) connection. Default 10.</summary>
    public double ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Seconds to wait for a peer's answer to one request (hello, peer.auth, peer.verify, peer.deliver). Default 60.</summary>
    public double RequestTimeoutSeconds { get; set; } = 60;

    /// <summary>How to speak TLS to peers found through DNS (protocol/peer.md, "TLS"). Default <c>opportunistic</c>.</summary>
    public PeerTlsPolicy Tls { get; set; } = PeerTlsPolicy.Opportunistic;

    /// <summary>
    /// A PEM file of the only CA certificates trusted for peers' certificates (a private CA shared
    /// by a group of servers), relative to the config file's folder. Null (the default): the
    /// system's trusted roots. Pinned peers (<c>peers.D.pin</c>) are not affected.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// Most dialback callbacks (peer.auth checked with the claimed domain's server) running at once;
    /// more get <c>server.busy</c>. Callbacks for one domain share one outbound connection. Default 64.
    /// </summary>
    public int MaxConcurrentVerifications { get; set; } = 64;

    /// <summary>Whether this server accepts peer.auth and peer.deliver at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>What is wrong with these options, one sentence per problem; empty when they are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (Secret is not null && Secret.Length < 16)
        {
            yield return "federation.secret must be at least 16 characters (or null to generate one).";
        }

        if (!(VerifyCacheSeconds >= 0))
        {
            yield return "federation.verifyCacheSeconds must be 0 or more.";
        }

        if (!(ConnectTimeoutSeconds > 0 && ConnectTimeoutSeconds <= 600))
        {
            yield return "federation.connectTimeoutSeconds must be more than 0 and at most 600.";
        }

        if (MaxConcurrentVerifications < 1)
        {
            yield return "federation.maxConcurrentVerifications must be positive.";
        }

        if (!(RequestTimeoutSeconds > 0 && RequestTimeoutSeconds <= 3600))
        {
            yield return "federation.requestTimeoutSeconds must be more than 0 and at most 3600.";
        }

        if (!Enum.IsDefined(Tls))
        {
            yield return "federation.tls must be opportunistic, required or off.";
        }
    }

    /// <summary>Loads <see cref="CaFile"/>; null when it is not set.</summary>
    /// <param name="configDirectory">The folder a relative path is taken from.</param>
    /// <exception cref="ConfigurationException">The file is missing, unreadable or holds no certificate.</exception>
    public X509Certificate2Collection? LoadTrustedRoots(string? configDirectory)
    {
        if (string.IsNullOrWhiteSpace(CaFile))
        {
            return null;
        }

        var path = Path.GetFullPath(CaFile, configDirectory ?? Directory.GetCurrentDirectory());
        try
        {
            return TlsTrust.LoadRoots(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ConfigurationException($"federation.caFile: cannot load CA certificates from {path}: {ex.Message}", ex);
        }
    }
}
