using System.Globalization;

namespace Butterfly.Client;

/// <summary>A server address: host and port, written <c>host:port</c> or <c>[::1]:port</c>.</summary>
/// <param name="Host">A host name or IP address (without brackets).</param>
/// <param name="Port">The TCP port.</param>
public sealed record ButterflyEndpoint(string Host, int Port)
{
    /// <summary>The port a Butterfly server listens on by default.</summary>
    public const int DefaultPort = 7410;

    /// <summary>The port assumed for TLS when none is given: the conventional <c>tls.listen</c> port.</summary>
    public const int DefaultTlsPort = 7411;

    /// <summary>Parses <c>host:port</c>, <c>[v6address]:port</c>, a bare host or a bare IPv6 address (default port).</summary>
    /// <param name="text">The endpoint text.</param>
    /// <exception cref="FormatException">The text is not an endpoint.</exception>
    public static ButterflyEndpoint Parse(string text) =>
        TryParse(text, out var endpoint) ? endpoint : throw new FormatException($"Not a server address: '{text}' (expected HOST:PORT).");

    /// <summary>
    /// Parses an endpoint as <see cref="Parse(string)"/> does; without a port, the TLS port
    /// (<see cref="DefaultTlsPort"/>) when <paramref name="options"/> make the connection speak TLS.
    /// </summary>
    /// <param name="text">The endpoint text.</param>
    /// <param name="options">The connection settings that decide TLS.</param>
    /// <exception cref="FormatException">The text is not an endpoint.</exception>
    public static ButterflyEndpoint Parse(string text, ButterflyClientOptions options) =>
        TryParse(text, options, out var endpoint) ? endpoint : throw new FormatException($"Not a server address: '{text}' (expected HOST:PORT).");

    /// <summary>Tries to parse an endpoint; see <see cref="Parse(string, ButterflyClientOptions)"/>.</summary>
    /// <param name="text">The endpoint text.</param>
    /// <param name="options">The connection settings that decide TLS.</param>
    /// <param name="endpoint">The endpoint, when valid.</param>
    public static bool TryParse(string? text, ButterflyClientOptions options, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ButterflyEndpoint? endpoint)
    {
        if (!TryParse(text, 0, out endpoint))
        {
            return false;
        }

        if (endpoint.Port == 0)
        {
            endpoint = endpoint with { Port = ButterflyClient.UsesTls(endpoint.Host, options) ? DefaultTlsPort : DefaultPort };
        }

        return true;
    }

    /// <summary>Tries to parse an endpoint; see <see cref="Parse(string)"/>.</summary>
    /// <param name="text">The endpoint text.</param>
    /// <param name="endpoint">The endpoint, when valid.</param>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ButterflyEndpoint? endpoint) =>
        TryParse(text, DefaultPort, out endpoint);

    private static bool TryParse(string? text, int defaultPort, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ButterflyEndpoint? endpoint)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        string host;
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 2)
            {
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return false;
                }

                portText = rest[1..];
            }
        }
        else
        {
            var first = text.IndexOf(':', StringComparison.Ordinal);
            var last = text.LastIndexOf(':');
            if (first >= 0 && first == last)
            {
                host = text[..first];
                portText = text[(first + 1)..];
            }
            else
            {
                // No colon, or several: a bare host name or a bare IPv6 address.
                host = text;
            }
        }

        var port = defaultPort;
        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            return false;
        }

        if (host.Length == 0)
        {
            return false;
        }

        endpoint = new ButterflyEndpoint(host, port);
        return true;
    }

    /// <summary>The endpoint as <c>host:port</c>, bracketing an IPv6 address.</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
