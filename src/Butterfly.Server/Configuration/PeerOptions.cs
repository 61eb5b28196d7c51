namespace Butterfly.Server.Configuration;

/// <summary>One entry of the <c>peers</c> map: where the server of a remote domain is and how to reach it (protocol/peer.md, "Discovery").</summary>
public sealed class PeerOptions
{
    /// <summary>HOST:PORT of the peer's server; HOST is an IP address, <c>localhost</c> or a host name.</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>Whether to speak TLS to the peer. Default false.</summary>
    public bool Tls { get; set; }

    /// <summary>
    /// The SHA-256 of the peer's certificate (DER), hex, colons allowed, optionally written
    /// <c>sha256:HEX</c>; or of its public key, <c>spki-sha256:HEX</c> (or BASE64). When set,
    /// exactly that certificate is accepted and chain and name are not checked.
    /// </summary>
    public string? Pin { get; set; }

    /// <summary>The name the peer's certificate must carry. Default: the peer's domain.</summary>
    public string? ServerName { get; set; }

    /// <summary>The pin as 64 lower-case hex digits, or null when none is set.</summary>
    public string? NormalizedPin =>
        string.IsNullOrWhiteSpace(Pin) ? null : Pin.Replace(":", string.Empty, StringComparison.Ordinal).Trim().ToLowerInvariant();

    /// <summary>The pin, read; null when none is set or it is malformed (which validation reports).</summary>
    public Protocol.Tls.CertificatePin? ParsedPin =>
        Protocol.Tls.CertificatePin.TryParse(Pin, out var pin) ? pin : null;

    /// <summary>Splits <see cref="Address"/> into host and port.</summary>
    /// <param name="host">The host.</param>
    /// <param name="port">The port.</param>
    public bool TryParseAddress(out string host, out int port) => TryParseHostPort(Address, out host, out port);

    /// <summary>Splits HOST:PORT (or [IPv6]:PORT).</summary>
    /// <param name="text">The text.</param>
    /// <param name="host">The host, without brackets.</param>
    /// <param name="port">The port, 1 to 65535.</param>
    public static bool TryParseHostPort(string? text, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
            || port is < 1 or > 65535)
        {
            return false;
        }

        host = text[..colon].Trim();
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return host.Length > 0 && Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }
}
