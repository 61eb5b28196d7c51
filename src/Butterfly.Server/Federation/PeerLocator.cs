using Butterfly.Server.Configuration;
using Butterfly.Server.Dns;

namespace Butterfly.Server.Federation;

/// <summary>
/// Finds where a peer domain's server listens, in the order of protocol/peer.md, "Discovery":
/// the static <c>peers</c> map, then the SRV records <c>_butterflys._tcp.DOMAIN</c> (TLS) and
/// <c>_butterfly._tcp.DOMAIN</c> (plain), then the domain's own address on ports 7411 (TLS) and
/// 7410 (plain); which of them are used follows <c>federation.tls</c>.
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

    /// <summary>The endpoints to try, best first: TLS ones before plain ones.</summary>
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

            return [new PeerEndpoint(domain, host, port, peer.Tls, peer.ParsedPin, peer.ServerName ?? domain, "static")];
        }

        if (_dns is null)
        {
            throw new PeerException(false, "peer.domain-unknown", $"No peer is configured for {domain} and DNS is not available.");
        }

        // Step 2: SRV, TLS and plain as federation.tls allows. A DNS failure of either is
        // temporary: answering with the other half could downgrade to plain.
        var policy = _options.Federation.Tls;
        var tlsLookup = policy == PeerTlsPolicy.Off ? Task.FromResult<IReadOnlyList<SrvRecord>>([]) : SrvAsync($"_butterflys._tcp.{domain}", domain, ct);
        var plainLookup = policy == PeerTlsPolicy.Required ? Task.FromResult<IReadOnlyList<SrvRecord>>([]) : SrvAsync($"_butterfly._tcp.{domain}", domain, ct);
        await Task.WhenAll(tlsLookup, plainLookup);
        var tls = await tlsLookup;
        var plain = await plainLookup;

        // The certificate must name the peer domain, never the SRV target: DNS without DNSSEC
        // could point anywhere, and a certificate only proves the name it carries (RFC 6125, 6.2.1).
        var endpoints = tls.Where(r => r.Target != ".").Select(r => new PeerEndpoint(domain, r.Target.TrimEnd('.'), r.Port, true, null, domain, "srv"))
            .Concat(plain.Where(r => r.Target != ".").Select(r => new PeerEndpoint(domain, r.Target.TrimEnd('.'), r.Port, false, null, domain, "srv")))
            .ToList();
        if (endpoints.Count > 0)
        {
            return endpoints;
        }

        // peer.md, "Discovery": a lone "." target (RFC 2782's "not offered") with nothing else
        // published says the domain offers no Butterfly service: discovery ends for good.
        if (tls is [{ Target: "." }] || plain is [{ Target: "." }])
        {
            throw new PeerException(true, "peer.domain-unknown", $"{domain} publishes no Butterfly service (SRV target \".\").");
        }

        // Step 3: the domain itself on the default ports.
        if (policy != PeerTlsPolicy.Off)
        {
            endpoints.Add(new PeerEndpoint(domain, domain, FederationOptions.DefaultTlsPort, true, null, domain, "address"));
        }

        if (policy != PeerTlsPolicy.Required)
        {
            endpoints.Add(new PeerEndpoint(domain, domain, FederationOptions.DefaultPort, false, null, domain, "address"));
        }

        return endpoints;
    }

    private async Task<IReadOnlyList<SrvRecord>> SrvAsync(string name, string domain, CancellationToken ct)
    {
        try
        {
            return await _dns!.ResolveSrvAsync(name, ct);
        }
        catch (DnsException ex)
        {
            throw new PeerException(false, "peer.domain-unknown", $"DNS lookup of {name} failed: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new PeerException(true, "peer.domain-unknown", $"'{domain}' is not a domain name.", ex);
        }
    }
}
