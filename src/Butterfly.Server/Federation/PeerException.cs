namespace Butterfly.Server.Federation;

/// <summary>A delivery to a peer failed as a whole.</summary>
internal sealed class PeerException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="permanent">True when retrying cannot help (the peer refused the message itself).</param>
    /// <param name="code">The error code the peer gave, or one naming the local failure.</param>
    /// <param name="message">What happened, for logs, the queue listing and bounces.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public PeerException(bool permanent, string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Permanent = permanent;
        Code = code;
    }

    /// <summary>True when retrying cannot help.</summary>
    public bool Permanent { get; }

    /// <summary>The error code.</summary>
    public string Code { get; }

    /// <summary>
    /// True when a TLS endpoint answered but its certificate was refused: discovery then does not
    /// fall back to plain endpoints (protocol/peer.md, "TLS").
    /// </summary>
    public bool CertificateRefused { get; init; }
}
