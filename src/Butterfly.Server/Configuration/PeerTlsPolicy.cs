namespace Butterfly.Server.Configuration;

/// <summary>
/// How this server speaks TLS to peers it finds through DNS (<c>federation.tls</c>; protocol/peer.md,
/// "TLS"). Peers in the static <c>peers</c> map follow their own entry instead.
/// </summary>
public enum PeerTlsPolicy
{
    /// <summary>
    /// TLS endpoints first (SRV <c>_butterflys._tcp</c>, else the domain on port 7411), with the
    /// certificate validated; plain endpoints only when no TLS endpoint accepts a connection. A
    /// TLS endpoint whose certificate does not validate is a temporary failure, never a reason
    /// to fall back to plain.
    /// </summary>
    Opportunistic,

    /// <summary>Only TLS endpoints, validated; a peer without one is unreachable (a temporary failure).</summary>
    Required,

    /// <summary>Only plain endpoints (SRV <c>_butterfly._tcp</c>, else the domain on port 7410), as before TLS discovery existed.</summary>
    Off,
}
