using System.Net;
using ARSoft.Tools.Net.Spf;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Smtp.SenderChecks;

/// <summary>
/// SPF (RFC 7208) of the HELO and MAIL FROM identities with ARSoft.Tools.Net's evaluator, whose DNS
/// lookups go through the server's resolver (<see cref="ArsoftDnsResolver"/>).
/// </summary>
internal sealed class SpfCheck(Dns.IDnsResolver dns, string serverName)
{
    private readonly ArsoftDnsResolver _resolver = new(dns);

    /// <summary>Checks <paramref name="helo"/> and <paramref name="sender"/> for a client at <paramref name="client"/>.</summary>
    public async Task<SpfOutcome> CheckAsync(IPAddress client, string helo, string sender, CancellationToken ct)
    {
        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        var validator = new SpfValidator
        {
            DnsResolver = _resolver,
            LocalDomain = ARSoft.Tools.Net.DomainName.Parse(serverName),
        };
        string? heloResult = null;
        if (IsDomain(helo))
        {
            validator.HeloDomain = ARSoft.Tools.Net.DomainName.Parse(helo);
            heloResult = await EvaluateAsync(validator, client, helo, "postmaster@" + helo, ct);
        }

        if (sender.Length == 0 || !Addresses.TryNormalize(sender, out _, out var domain))
        {
            // §2.4: for the null sender the HELO identity stands for MAIL FROM.
            return new SpfOutcome(heloResult ?? "none", heloResult is null ? string.Empty : helo, heloResult is null ? string.Empty : "postmaster@" + helo, heloResult, helo);
        }

        var mailFrom = await EvaluateAsync(validator, client, domain, sender, ct);
        return new SpfOutcome(mailFrom, domain, sender, heloResult, helo);
    }

    private static async Task<string> EvaluateAsync(SpfValidator validator, IPAddress client, string domain, string sender, CancellationToken ct)
    {
        try
        {
            var result = await validator.CheckHostAsync(client, ARSoft.Tools.Net.DomainName.Parse(domain), sender, false, ct);
            return result.Result switch
            {
                SpfQualifier.Pass => "pass",
                SpfQualifier.Fail => "fail",
                SpfQualifier.SoftFail => "softfail",
                SpfQualifier.Neutral => "neutral",
                SpfQualifier.TempError => "temperror",
                SpfQualifier.PermError => "permerror",
                _ => "none",
            };
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            // A name ARSoft cannot parse (RFC 7208 §4.3: a malformed domain is "none").
            return "none";
        }
    }

    private static bool IsDomain(string name) =>
        name.Length is > 0 and < 254 && name.Contains('.', StringComparison.Ordinal) && !name.StartsWith('[') && Uri.CheckHostName(name) == UriHostNameType.Dns;
}
