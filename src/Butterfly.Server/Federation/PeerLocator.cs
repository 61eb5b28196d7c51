using Butterfly.Server.Configuration;
using Butterfly.Server.Dns;

namespace Butterfly.Server.Federation;

/// <summary>
/// Finds where a peer domain's server listens, in the order of protocol/peer.md, "Discovery":
/// the static <c>peers</c> map, then the SRV record <c>_butterfly._tcp.DOMAIN</c>, then the
/// domain's own address on port 7410.
/// </summary>
internal sealed class PeerLocator
{
    private readonly ButterflyOptions _options;
    private readonly IDnsResolver? _dns;

    public PeerLocator(ButterflyOptions options, IDnsResolver? dns)
    {
        _options = options;
        _dns = dns;
    }

    /// <summary>The endpoints to try, best first.</summary>
    /// <param name="domain">The peer domain.</param>
    /// <param name="ct">Stops the lookup.</param>
    /// <exception cref="PeerException">No server can be named for the domain.</exception>
    public async Task<IReadOnlyList<PeerEndpoint>> LocateAsync(string domain, CancellationToken ct)
    {
        domain = domain.ToLowerInvariant();

        // peer.md, "Discovery", step 1: the static map wins over DNS.
        if (_options.Peers.TryGetValue(domain, out var peer))
        {
            if (!peer.TryParseAddress(out var host, out var port))
            {
                throw new PeerException(true, "peer.domain-unknown", $"peers.{domain}.address '{peer.Address}' is not HOST:PORT.");
            }

            return [new PeerEndpoint(domain, host, port, peer.Tls, peer.NormalizedPin, peer.ServerName ?? domain, "static")];
        }

        if (_dns is null)
        {
            throw new PeerException(false, "peer.domain-unknown", $"No peer is configured for {domain} and DNS is not available.");
        }

        // Step 2: SRV. A lone target "." (RFC 2782's "not offered") ends discovery for good.
        IReadOnlyList<SrvRecord> records;
        try
        {
            records = await _dns.ResolveSrvAsync($"_butterfly._tcp.{domain}", ct);
        }
        catch (DnsException ex)
        {
            throw new PeerException(false, "peer.domain-unknown", $"DNS lookup of _butterfly._tcp.{domain} failed: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new PeerException(true, "peer.domain-unknown", $"'{domain}' is not a domain name.", ex);
        }

        if (records is [{ Target: "." }])
        {
            // peer.md, "Discovery": a lone "." target says the domain offers no Butterfly service.
            throw new PeerException(true, "peer.domain-unknown", $"{domain} publishes no Butterfly service (SRV target \".\").");
        }

        if (records.Count > 0)
        {
            return records
                .Select(r => new PeerEndpoint(domain, r.Target.TrimEnd('.'), r.Port, false, null, domain, "srv"))
                .ToArray();
        }

        // Step 3: the domain itself on the default port.
        return [new PeerEndpoint(domain, domain, FederationOptions.DefaultPort, false, null, domain, "address")];
    }
}
