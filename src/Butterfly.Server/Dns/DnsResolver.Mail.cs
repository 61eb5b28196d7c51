using Butterfly.Server.Dns.Internal;
using DnsClient;
using DnsClient.Protocol;

namespace Butterfly.Server.Dns;

/// <summary>The lookups for mail to and from the rest of the world: MX for outbound SMTP, TXT for SPF, DKIM and DMARC.</summary>
public sealed partial class DnsResolver
{
    /// <inheritdoc />
    public async Task<MxLookup> ResolveMxAsync(string domain, CancellationToken ct = default)
    {
        var name = DnsName.Normalize(domain);
        var answer = await QueryAsync<MxRecord>(name, QueryType.MX, ct);
        if (!answer.NameExists)
        {
            return new MxLookup(MxStatus.NoSuchDomain, []);
        }

        // RFC 7505 §3: "0 ." is the null MX. A "." among real hosts is a misconfiguration; the real hosts are used.
        var hosts = answer.Records
            .Select(r => new MxHost(r.Preference, HostName(r.Exchange)))
            .Where(h => h.Host != ".")
            .ToList();
        if (hosts.Count > 0)
        {
            return new MxLookup(MxStatus.Found, OrderByPreference(hosts));
        }

        if (answer.Records.Count > 0)
        {
            return new MxLookup(MxStatus.NullMx, []);
        }

        // RFC 5321 §5.1: no MX records, so the domain is its own mail host when it has an address.
        var addresses = await ResolveAddressesAsync(name, ct);
        return addresses.Count > 0
            ? new MxLookup(MxStatus.Implicit, [new MxHost(0, name)])
            : new MxLookup(MxStatus.NoMailHost, []);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ResolveTxtAsync(string name, CancellationToken ct = default)
    {
        var answer = await QueryAsync<TxtRecord>(DnsName.Normalize(name), QueryType.TXT, ct);

        // RFC 7208 §3.3: a record's character-strings are concatenated without adding spaces.
        return answer.Records.Select(r => string.Concat(r.Text)).ToList();
    }

    /// <summary>
    /// Lowest preference first; hosts of equal preference in random order, as RFC 5321 §5.1 requires of a sender
    /// that has no reason to favour one of them.
    /// </summary>
    private List<MxHost> OrderByPreference(List<MxHost> hosts)
    {
        var ordered = new List<MxHost>(hosts.Count);
        foreach (var group in hosts.GroupBy(h => h.Preference).OrderBy(g => g.Key))
        {
            var same = group.ToArray();
            _random.Shuffle(same);
            ordered.AddRange(same);
        }

        return ordered;
    }
}
