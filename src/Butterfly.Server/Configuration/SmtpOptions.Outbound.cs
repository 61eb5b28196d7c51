namespace Butterfly.Server.Configuration;

/// <summary>
/// The <c>smtp</c> section: the SMTP gateway. This part holds the outbound keys (mail to domains that run no
/// Butterfly server); they are read at each delivery, so a reloaded configuration applies to the next one.
/// </summary>
public sealed partial class SmtpOptions
{
    /// <summary>
    /// Where mail for a domain goes over SMTP, before DNS, like Postfix's transport maps:
    /// <c>{"example.com": "host:port"}</c>. A routed domain skips Butterfly discovery by SRV and the MX lookup.
    /// </summary>
    public Dictionary<string, string> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A relay that takes all SMTP mail instead of the recipients' MX hosts; null to deliver directly.</summary>
    public SmarthostOptions? Smarthost { get; set; }

    /// <summary>Domains whose mail is only sent over TLS (STARTTLS required, certificate checked). Default none.</summary>
    public List<string> RequireTls { get; set; } = [];

    /// <summary>Connections kept open to one destination domain at most. Default 4.</summary>
    public int ConnectionsPerDomain { get; set; } = 4;

    /// <summary>Seconds to wait for a connection or one SMTP reply. Default 60.</summary>
    public double OutboundTimeoutSeconds { get; set; } = 60;

    /// <summary>Seconds an idle connection is kept for the next message to its domain. Default 30.</summary>
    public double IdleSeconds { get; set; } = 30;

    /// <summary>Whether mail to <paramref name="domain"/> must go over TLS.</summary>
    /// <param name="domain">The destination domain.</param>
    public bool TlsRequiredFor(string domain) => RequireTls.Exists(d => string.Equals(d, domain, StringComparison.OrdinalIgnoreCase));

    /// <summary>The problems with the outbound keys, each naming its key.</summary>
    public IEnumerable<string> ValidateOutbound()
    {
        foreach (var (domain, target) in Routes)
        {
            if (!PeerOptions.TryParseHostPort(target, out _, out _))
            {
                yield return $"smtp.routes.{domain}: '{target}' is not HOST:PORT.";
            }
        }

        if (ConnectionsPerDomain is < 1 or > 100)
        {
            yield return $"smtp.connectionsPerDomain: {ConnectionsPerDomain} is not between 1 and 100.";
        }

        if (OutboundTimeoutSeconds <= 0)
        {
            yield return $"smtp.outboundTimeoutSeconds: {OutboundTimeoutSeconds} is not positive.";
        }

        if (IdleSeconds < 0)
        {
            yield return $"smtp.idleSeconds: {IdleSeconds} is negative.";
        }

        if (Smarthost is { } relay)
        {
            foreach (var problem in relay.Validate())
            {
                yield return problem;
            }
        }
    }
}
