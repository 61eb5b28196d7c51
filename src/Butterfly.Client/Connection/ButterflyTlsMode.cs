namespace Butterfly.Client;

/// <summary>Whether a <see cref="ButterflyClient"/> speaks TLS (protocol/client.md, "TLS").</summary>
public enum ButterflyTlsMode
{
    /// <summary>
    /// TLS, except to a loopback address (<c>127.0.0.0/8</c>, <c>::1</c>, <c>localhost</c>) when
    /// no TLS setting (trusted roots, pins, server name) is given: a password never crosses a
    /// network in clear by default.
    /// </summary>
    Auto,

    /// <summary>Always TLS.</summary>
    Required,

    /// <summary>Never TLS: plain TCP even to a remote host (passwords travel in clear).</summary>
    Off,
}
