using System.Net;

namespace Butterfly.Server.Configuration;

/// <summary>The web client (<c>web</c> in butterfly.json; protocol/websocket.md).</summary>
public sealed class WebOptions
{
    /// <summary>The default <see cref="Listen"/>: loopback, so that the README's first command gives a working page.</summary>
    public const string DefaultListen = "127.0.0.1:7480";

    /// <summary>
    /// HOST:PORT serving the web client's page and its <c>/ws</c> WebSocket. Default <c>127.0.0.1:7480</c>;
    /// empty turns the web client off. Port 0 lets the OS pick (the daemon prints the address).
    /// </summary>
    public string Listen { get; set; } = DefaultListen;

    /// <summary>
    /// The <c>Origin</c> values a browser page may open <c>/ws</c> from (scheme://host[:port], as browsers send it).
    /// Empty (the default): the listener's own address (<c>http://HOST:PORT</c>, https with <see cref="Tls"/>), and
    /// <c>localhost:PORT</c> too when that address is loopback. Behind a reverse proxy, name the public site here.
    /// </summary>
    public List<string> Origins { get; set; } = [];

    /// <summary>Serve HTTPS with the <c>tls</c> section's certificate (reloaded as for <c>tls.listen</c>). Default false.</summary>
    public bool Tls { get; set; }

    /// <summary>Hours a web session token (<c>auth.token</c>) stays good, from its creation. Default 12.</summary>
    public double TokenLifetimeHours { get; set; } = 12;

    /// <summary>Whether the web client is served.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Listen);

    /// <summary>The token lifetime as a span.</summary>
    public TimeSpan TokenLifetime => TimeSpan.FromHours(TokenLifetimeHours);

    /// <summary>Parses <see cref="Listen"/> (valid once the options are validated and <see cref="Enabled"/>).</summary>
    public IPEndPoint ParseListen() =>
        ButterflyOptions.TryParseEndPoint(Listen, out var endpoint)
            ? endpoint
            : throw new ConfigurationException($"web.listen: '{Listen}' is not HOST:PORT.");

    /// <summary>Checks the values; returns one line per problem.</summary>
    public IEnumerable<string> Validate()
    {
        if (Enabled && !ButterflyOptions.TryParseEndPoint(Listen, out _))
        {
            yield return $"web.listen: '{Listen}' is not HOST:PORT (an IP address and a port, e.g. 127.0.0.1:7480), nor empty (no web client).";
        }

        foreach (var origin in Origins)
        {
            if (!IsOrigin(origin))
            {
                yield return $"web.origins: '{origin}' is not an origin (http:// or https://, a host, an optional port, nothing after it: e.g. https://mail.example.org).";
            }
        }

        if (!(TokenLifetimeHours > 0) || TokenLifetimeHours > 24 * 366)
        {
            yield return $"web.tokenLifetimeHours: {TokenLifetimeHours} is not a number of hours between 0 and 8784.";
        }
    }

    // An origin is what a browser sends in the Origin header: scheme, host and port, no path.
    private static bool IsOrigin(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.AbsolutePath == "/"
        && !text.EndsWith('/')
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment)
        && string.IsNullOrEmpty(uri.UserInfo);
}
