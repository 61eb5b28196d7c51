using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Dns;
using Butterfly.Server.Federation;

namespace Butterfly.Server.Smtp.Outbound;

/// <summary>
/// Decides, per remote domain, whether mail goes to a Butterfly server or over SMTP, in this order: a static peer
/// (<c>peers</c>), an SMTP route (<c>smtp.routes</c>), <c>_butterfly._tcp</c> / <c>_butterflys._tcp</c> SRV records,
/// the smarthost (<c>smtp.smarthost</c>), then the domain's MX hosts (RFC 5321 §5.1: the domain itself when it has
/// no MX; a null MX, RFC 7505, means no mail at all). The configuration is read at each decision, so a reload
/// applies to the next delivery.
/// </summary>
internal sealed class OutboundRouter : IRemoteRoutes
{
    /// <summary>The port MX hosts take mail from other servers on.</summary>
    public const int SmtpPort = 25;

    private readonly ButterflyOptions _options;
    private readonly PeerLocator _locator;
    private readonly IDnsResolver? _dns;

    public OutboundRouter(ButterflyOptions options, PeerLocator locator, IDnsResolver? dns)
    {
        _options = options;
        _locator = locator;
        _dns = dns;
    }

    /// <summary>Where mail for <paramref name="domain"/> goes.</summary>
    /// <param name="domain">The remote domain.</param>
    /// <param name="ct">Stops the lookups.</param>
    /// <exception cref="PeerException">DNS could not answer now (temporary), or the name is not a domain (permanent).</exception>
    public async Task<OutboundDecision> DecideAsync(string domain, CancellationToken ct)
    {
        domain = domain.ToLowerInvariant();
        var smtp = _options.Smtp;
        if (_options.Peers.ContainsKey(domain))
        {
            return new OutboundDecision(RemoteVia.Butterfly, []);
        }

        if (smtp.Routes.TryGetValue(domain, out var route) && PeerOptions.TryParseHostPort(route, out var routeHost, out var routePort))
        {
            return new OutboundDecision(RemoteVia.Smtp, [new SmtpDestination(routeHost, routePort, "route") { TlsRequired = smtp.TlsRequiredFor(domain) }]);
        }

        if (_dns is null)
        {
            throw new PeerException(false, "peer.domain-unknown", $"No peer or SMTP route is configured for {domain} and DNS is not available.");
        }

        // Butterfly first: a domain that publishes a Butterfly service gets Butterfly's protocol.
        if (await HasButterflyServiceAsync(domain, ct))
        {
            return new OutboundDecision(RemoteVia.Butterfly, []);
        }

        if (smtp.Smarthost is { } relay)
        {
            return new OutboundDecision(RemoteVia.Smtp, [new SmtpDestination(relay.Host, relay.Port, "smarthost")
            {
                TlsRequired = true,
                ImplicitTls = relay.Port == 465,
                Pin = relay.ParsedPin,
                Auth = relay.Username is null ? null : (relay.Username, Path.GetFullPath(relay.PasswordFile!, _options.ConfigDirectory ?? Directory.GetCurrentDirectory())),
            }]);
        }

        MxLookup mx;
        try
        {
            mx = await _dns.ResolveMxAsync(domain, ct);
        }
        catch (DnsException ex)
        {
            throw new PeerException(false, "smtp.unreachable", $"The MX lookup of {domain} failed: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new PeerException(true, "recipient.domain-unreachable", $"'{domain}' is not a domain name.", ex);
        }

        var tlsRequired = smtp.TlsRequiredFor(domain);
        return mx.Status switch
        {
            MxStatus.Found => new OutboundDecision(RemoteVia.Smtp, [.. mx.Hosts.Select(h => new SmtpDestination(h.Host, SmtpPort, "mx") { TlsRequired = tlsRequired })]),
            MxStatus.Implicit => new OutboundDecision(RemoteVia.Smtp, [.. mx.Hosts.Select(h => new SmtpDestination(h.Host, SmtpPort, "implicit-mx") { TlsRequired = tlsRequired })]),
            MxStatus.NullMx => new OutboundDecision(RemoteVia.None, [], $"{domain} publishes a null MX (RFC 7505): it accepts no mail."),
            MxStatus.NoSuchDomain => new OutboundDecision(RemoteVia.None, [], $"{domain} does not exist (NXDOMAIN)."),
            _ => new OutboundDecision(RemoteVia.None, [], $"{domain} has no Butterfly server, no MX record and no address."),
        };
    }

    /// <inheritdoc/>
    public async Task<RemoteRoute> ResolveAsync(string domain, CancellationToken ct)
    {
        try
        {
            var decision = await DecideAsync(domain, ct);
            return new RemoteRoute(decision.Via, decision.Problem);
        }
        catch (PeerException ex) when (!ex.Permanent)
        {
            return new RemoteRoute(RemoteVia.Unknown, ex.Message);
        }
        catch (PeerException ex)
        {
            return new RemoteRoute(RemoteVia.None, ex.Message);
        }
    }

    private async Task<bool> HasButterflyServiceAsync(string domain, CancellationToken ct)
    {
        try
        {
            // peer.md, "Discovery": endpoints found by SRV. The locator's last step (the domain's own address on
            // 7411/7410) is a guess, not a published service: without SRV the domain gets SMTP instead.
            var endpoints = await _locator.LocateAsync(domain, ct);
            return endpoints.Any(e => e.Source != "address");
        }
        catch (PeerException ex) when (ex.Permanent)
        {
            // A lone "." target: no Butterfly service here, so SMTP.
            return false;
        }
    }
}
