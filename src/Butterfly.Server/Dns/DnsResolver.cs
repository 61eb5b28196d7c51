using System.Net;
using Butterfly.Server.Configuration;
using Butterfly.Server.Dns.Internal;
using DnsClient;
using DnsClient.Protocol;

namespace Butterfly.Server.Dns;

/// <summary>
/// The <see cref="IDnsResolver"/> of the running server: DnsClient's <see cref="LookupClient"/> asks the recursive
/// servers of <c>dns.servers</c> (or <c>/etc/resolv.conf</c>) over UDP, TCP when a reply is truncated, and caches
/// what they say. This class adds what DnsClient leaves to its callers: the RFC 2782 order of SRV targets, the
/// RFC 5321 rules for MX, TXT strings joined as RFC 7208 reads them, and the line between a permanent "no" and a
/// temporary failure.
/// </summary>
/// <remarks>
/// Caching is DnsClient's: a positive answer is kept for its smallest TTL, at most <see cref="MaxCacheTime"/>; a
/// NXDOMAIN or error reply for <see cref="FailedCacheTime"/> (RFC 2308 §7.1 allows up to five minutes for a server
/// failure). DnsClient keeps no NODATA answers and sets no bound on the number of entries; expired entries are
/// swept every ten minutes.
/// </remarks>
public sealed partial class DnsResolver : IDnsResolver
{
    /// <summary>Upper bound on a positive answer's TTL, so a typo of many nines does not pin an answer for decades.</summary>
    public static readonly TimeSpan MaxCacheTime = TimeSpan.FromDays(1);

    /// <summary>How long a NXDOMAIN, SERVFAIL or REFUSED reply is kept, so a burst of mail to one broken domain asks once.</summary>
    public static readonly TimeSpan FailedCacheTime = TimeSpan.FromSeconds(60);

    private const int DnsPort = 53;
    private readonly LookupClient _client;
    private readonly TimeSpan _timeout;
    private readonly int _attempts;
    private readonly Random _random;

    /// <summary>Creates a resolver.</summary>
    /// <param name="options">Servers, timeout and attempts.</param>
    /// <exception cref="ArgumentException">The options do not validate.</exception>
    public DnsResolver(DnsOptions options)
        : this(options, Random.Shared)
    {
    }

    /// <summary>Creates a resolver whose SRV and MX shuffles draw from <paramref name="random"/> (tests pass a seeded one).</summary>
    internal DnsResolver(DnsOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        Servers = options.Servers.Count > 0 ? options.ParseServers() : SystemServers();
        _timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        _attempts = options.Attempts;
        _random = random;
        _client = new LookupClient(new LookupClientOptions([.. Servers])
        {
            Timeout = _timeout,
            Retries = options.Attempts - 1,

            // resolv.conf's order is the operator's order of preference (resolv.conf(5)).
            UseRandomNameServer = false,
            UseCache = true,
            MaximumCacheTimeout = MaxCacheTime,
            CacheFailedResults = true,
            FailedResultsCacheDuration = FailedCacheTime,

            // Error replies come back as replies and are judged in QueryAsync. After an error (SERVFAIL, REFUSED, and
            // in DnsClient also NXDOMAIN) the next server is asked; an empty NOERROR answer is final, as in glibc.
            ThrowDnsErrors = false,
            ContinueOnDnsError = true,
            ContinueOnEmptyResponse = false,
            UseTcpFallback = true,
        });
    }

    /// <summary>The servers asked, in order.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(string name, CancellationToken ct = default)
    {
        var answer = await QueryAsync<DnsClient.Protocol.SrvRecord>(DnsName.Normalize(name), QueryType.SRV, ct);
        var records = new List<SrvRecord>(answer.Records.Count);
        SrvRecord? notOffered = null;
        foreach (var record in answer.Records)
        {
            var target = HostName(record.Target);
            var srv = new SrvRecord(record.Priority, record.Weight, record.Port, target);
            if (target == ".")
            {
                // RFC 2782: a lone record with target "." means "not offered"; such a record among others is noise.
                notOffered = srv;
                continue;
            }

            records.Add(srv);
        }

        if (records.Count == 0 && notOffered is not null)
        {
            return [notOffered];
        }

        return SrvOrdering.Order(records, _random);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IPAddress>> ResolveAddressesAsync(string host, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (IpLiteral.TryParse(host, out var literal))
        {
            return [literal];
        }

        var name = DnsName.Normalize(host);
        var v6 = QueryAsync<AaaaRecord>(name, QueryType.AAAA, ct);
        var v4 = QueryAsync<ARecord>(name, QueryType.A, ct);
        try
        {
            await Task.WhenAll(v6, v4);
        }
        catch (DnsException) when (!ct.IsCancellationRequested)
        {
            // One side failing is judged below, once both have finished.
        }

        var addresses = new List<IPAddress>();
        if (v6.IsCompletedSuccessfully)
        {
            addresses.AddRange(v6.Result.Records.Select(r => r.Address));
        }

        if (v4.IsCompletedSuccessfully)
        {
            addresses.AddRange(v4.Result.Records.Select(r => r.Address));
        }

        if (addresses.Count == 0)
        {
            // Nothing found and a side failed: that is not "no such host", so surface the failure.
            if (v6.IsFaulted)
            {
                await v6;
            }

            await v4;
        }

        return addresses;
    }

    /// <summary>
    /// The <c>nameserver</c> lines of <c>/etc/resolv.conf</c> as DnsClient reads them (the system's settings on
    /// Windows); 127.0.0.1:53 when there are none, as glibc does. Never DnsClient's own fallback to public servers:
    /// a mail server should not send its lookups somewhere nobody configured.
    /// </summary>
    private static IReadOnlyList<IPEndPoint> SystemServers()
    {
        IReadOnlyCollection<NameServer> found;
        try
        {
            found = NameServer.ResolveNameServersNative();
        }
        catch (IOException)
        {
            found = [];
        }

        var servers = found
            .Select(s => new IPEndPoint(IPAddress.Parse(s.Address), s.Port))
            .Where(e => !e.Address.Equals(IPAddress.Any) && !e.Address.Equals(IPAddress.IPv6Any))
            .ToList();
        return servers.Count > 0 ? servers : [new IPEndPoint(IPAddress.Loopback, DnsPort)];
    }

    /// <summary>A name from a record without its trailing dot; the root stays ".".</summary>
    private static string HostName(DnsString name)
    {
        var value = name.Value;
        return value.Length > 1 && value.EndsWith('.') ? value[..^1] : value;
    }
}
