namespace Butterfly.Server.Federation.Dns.Internal;

/// <summary>
/// What one lookup of a name and type found: the records of that type (after following CNAMEs inside the
/// answer section), or none for NXDOMAIN and NODATA. Cached until <see cref="Expires"/>.
/// </summary>
internal sealed class DnsAnswer
{
    /// <summary>How long a negative answer is kept when the authority section has no SOA.</summary>
    public static readonly TimeSpan DefaultNegativeTtl = TimeSpan.FromSeconds(60);

    /// <summary>Upper bound on a positive TTL, so a typo of many nines does not pin an answer for decades.</summary>
    public static readonly TimeSpan MaxPositiveTtl = TimeSpan.FromDays(1);

    /// <summary>Upper bound on a negative TTL (RFC 2308 §5 suggests one to three hours).</summary>
    public static readonly TimeSpan MaxNegativeTtl = TimeSpan.FromHours(3);

    private const int MaxCnameHops = 16;

    private DnsAnswer(IReadOnlyList<DnsResourceRecord> records, DateTimeOffset received, TimeSpan ttl)
    {
        Records = records;
        Received = received;
        Expires = received + ttl;
    }

    /// <summary>The records of the asked type; empty when the name or the type does not exist.</summary>
    public IReadOnlyList<DnsResourceRecord> Records { get; }

    /// <summary>When the reply arrived.</summary>
    public DateTimeOffset Received { get; }

    /// <summary>When the answer stops being usable.</summary>
    public DateTimeOffset Expires { get; }

    /// <summary>The answer <paramref name="message"/> (NOERROR or NXDOMAIN) gives for <paramref name="name"/> and <paramref name="type"/>.</summary>
    public static DnsAnswer FromMessage(DnsMessage message, string name, DnsRecordType type, DateTimeOffset now)
    {
        if (message.ResponseCode == DnsResponseCode.NoError)
        {
            // Follow the CNAME chain the server put in the same answer (RFC 1034 §3.6.2, §4.3.2).
            var current = name;
            var ttl = uint.MaxValue;
            for (var hop = 0; hop <= MaxCnameHops; hop++)
            {
                var found = message.Answers.FindAll(r => r.Type == type && SameName(r.Name, current));
                if (found.Count > 0)
                {
                    foreach (var record in found)
                    {
                        ttl = Math.Min(ttl, record.Ttl);
                    }

                    var positive = TimeSpan.FromSeconds(ttl);
                    return new DnsAnswer(found, now, positive > MaxPositiveTtl ? MaxPositiveTtl : positive);
                }

                var alias = message.Answers.Find(r => r.Type == DnsRecordType.CNAME && SameName(r.Name, current));
                if (alias?.Target is null)
                {
                    break;
                }

                ttl = Math.Min(ttl, alias.Ttl);
                current = alias.Target;
            }
        }

        return new DnsAnswer([], now, NegativeTtl(message));
    }

    /// <summary>RFC 2308 §5: the lesser of the SOA record's TTL and its MINIMUM field; 60 s without an SOA.</summary>
    private static TimeSpan NegativeTtl(DnsMessage message)
    {
        var soa = message.Authorities.Find(r => r.Type == DnsRecordType.SOA);
        if (soa is null)
        {
            return DefaultNegativeTtl;
        }

        var ttl = TimeSpan.FromSeconds(Math.Min(soa.Ttl, soa.Minimum));
        return ttl > MaxNegativeTtl ? MaxNegativeTtl : ttl;
    }

    private static bool SameName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
