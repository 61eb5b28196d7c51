namespace Butterfly.Server.Configuration;

/// <summary>Command-line values that take precedence over <c>butterfly.json</c>.</summary>
/// <param name="Listen">HOST:PORT to listen on.</param>
/// <param name="DataDirectory">The data folder.</param>
/// <param name="Domains">The domains served; replaces the file's list when not empty.</param>
public sealed record ConfigOverrides(string? Listen = null, string? DataDirectory = null, IReadOnlyList<string>? Domains = null)
{
    /// <summary>No overrides.</summary>
    public static ConfigOverrides None { get; } = new();

    /// <summary><c>DOMAIN=HOST:PORT</c> entries added to the <c>peers</c> map (an entry replaces the file's for that domain).</summary>
    public IReadOnlyList<string>? Peers { get; init; }

    /// <summary>HOST:PORT for <c>metrics.listen</c>; empty turns the endpoint off.</summary>
    public string? MetricsListen { get; init; }

    /// <summary>HOST:PORT for <c>web.listen</c>; empty turns the web client off.</summary>
    public string? WebListen { get; init; }

    /// <summary>Adds <see cref="Peers"/> to <paramref name="options"/> (protocol/peer.md, "Discovery").</summary>
    /// <param name="options">The options read from the file.</param>
    /// <exception cref="ConfigurationException">An entry is not DOMAIN=HOST:PORT.</exception>
    internal void ApplyPeers(ButterflyOptions options)
    {
        foreach (var entry in Peers ?? [])
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var domain = equals > 0 ? entry[..equals].Trim().ToLowerInvariant() : string.Empty;
            var address = equals > 0 ? entry[(equals + 1)..].Trim() : string.Empty;
            if (Uri.CheckHostName(domain) != UriHostNameType.Dns || !PeerOptions.TryParseHostPort(address, out _, out _))
            {
                throw new ConfigurationException($"--peer: '{entry}' is not DOMAIN=HOST:PORT.");
            }

            // A command-line entry keeps the file's TLS settings for the domain and changes only the address.
            if (options.Peers.TryGetValue(domain, out var existing))
            {
                existing.Address = address;
            }
            else
            {
                options.Peers[domain] = new PeerOptions { Address = address };
            }
        }
    }
}
