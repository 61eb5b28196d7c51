using Butterfly.Protocol.Tls;

namespace Butterfly.Server.Federation;

/// <summary>One place a peer domain's server may be reached (protocol/peer.md, "Discovery").</summary>
/// <param name="Domain">The peer domain.</param>
/// <param name="Host">A host name or IP address.</param>
/// <param name="Port">The port.</param>
/// <param name="Tls">Whether to speak TLS.</param>
/// <param name="Pin">The only certificate to accept, or null to validate chain and name.</param>
/// <param name="ServerName">The name the certificate must carry.</param>
/// <param name="Source"><c>static</c>, <c>srv</c> or <c>address</c>: which discovery step found it.</param>
internal sealed record PeerEndpoint(string Domain, string Host, int Port, bool Tls, CertificatePin? Pin, string ServerName, string Source)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Host}:{Port}{(Tls ? " (tls)" : string.Empty)} [{Source}]";
}
