using System.Net;
using Butterfly.Server.Configuration;
using Butterfly.Server.Federation.Dns.Internal;

namespace Butterfly.Server.Federation.Dns;

/// <summary>
/// A stub resolver: asks recursive servers for SRV, A and AAAA records over UDP (TCP when a reply is
/// truncated) and caches what they say, positive answers by their TTL and negative ones by the SOA minimum.
/// Thread-safe; one instance is meant to be shared.
/// </summary>
/// <remarks>
/// An empty result means the name or the record type does not exist (NXDOMAIN or NODATA). Anything else that
/// stops an answer (every server silent, SERVFAIL, REFUSED, malformed replies) is a <see cref="DnsException"/>.
/// Cancelling the token throws <see cref="OperationCanceledException"/>; a disposed resolver throws
/// <see cref="ObjectDisposedException"/>.
/// </remarks>
public sealed partial class DnsResolver : IDisposable
{
    private readonly TimeSpan _timeout;
    private readonly int _attempts;
    private readonly TimeProvider _time;
    private readonly DnsCache _cache;
    private readonly Random _random;
    private readonly CancellationTokenSource _disposed = new();
    private int _isDisposed;

    /// <summary>Creates a resolver on the system clock.</summary>
    /// <param name="options">Servers, timeouts and cache size.</param>
    public DnsResolver(DnsOptions options)
        : this(options, TimeProvider.System)
    {
    }

    /// <summary>Creates a resolver whose cache expiry and timeouts follow <paramref name="timeProvider"/>.</summary>
    /// <param name="options">Servers, timeouts and cache size.</param>
    /// <param name="timeProvider">The clock.</param>
    public DnsResolver(DnsOptions options, TimeProvider timeProvider)
        : this(options, timeProvider, Random.Shared)
    {
    }

    internal DnsResolver(DnsOptions options, TimeProvider timeProvider, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        Servers = options.Servers.Count > 0 ? options.ParseServers() : ReadResolvConf();
        _timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        _attempts = options.Attempts;
        _time = timeProvider;
        _cache = new DnsCache(options.MaxCacheEntries);
        _random = random;
    }

    /// <summary>The servers asked, in order.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; }

    /// <summary>Answers held in the cache (expired ones included until they are next touched).</summary>
    internal int CacheCount => _cache.Count;

    /// <summary>
    /// SRV records for <paramref name="name"/> (e.g. <c>_butterfly._tcp.b.example</c>), lowest priority first and,
    /// within a priority, in a weighted random order (RFC 2782). Empty when the name or its SRV records do not
    /// exist. When the only record has target "." (the service is decidedly not offered), that one record is
    /// returned, so callers can tell "not offered" from "not published".
    /// </summary>
    /// <param name="name">The service name.</param>
    /// <param name="ct">Cancels the lookup.</param>
    /// <exception cref="DnsException">DNS did not give an answer.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a DNS name.</exception>
    public async Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(string name, CancellationToken ct = default)
    {
        var normalized = DnsQueryWriter.NormalizeName(name);
        var answer = await LookupAsync(normalized, DnsRecordType.SRV, ct);
        var age = _time.GetUtcNow() - answer.Received;
        var records = new List<SrvRecord>(answer.Records.Count);
        SrvRecord? notOffered = null;
        foreach (var record in answer.Records)
        {
            var ttl = TimeSpan.FromSeconds(record.Ttl) - age;
            if (record.Target is null or ".")
            {
                // RFC 2782: a lone record with target "." means "not offered"; such a record among others is noise.
                notOffered = new SrvRecord(record.Priority, record.Weight, record.Port, ".", ttl > TimeSpan.Zero ? ttl : TimeSpan.Zero);
                continue;
            }

            records.Add(new SrvRecord(record.Priority, record.Weight, record.Port, record.Target, ttl > TimeSpan.Zero ? ttl : TimeSpan.Zero));
        }

        if (records.Count == 0 && notOffered is not null)
        {
            return [notOffered];
        }

        return SrvOrdering.Order(records, _random);
    }

    /// <summary>
    /// The IPv6 (AAAA) then IPv4 (A) addresses of <paramref name="host"/>; both are asked at once. An IP literal
    /// (<c>192.0.2.1</c>, <c>2001:db8::1</c> or <c>[2001:db8::1]</c>) is returned as it is without a lookup.
    /// Empty when the host has neither. When one of the two lookups fails and the other finds addresses, those
    /// addresses are returned.
    /// </summary>
    /// <param name="host">A host name or IP literal.</param>
    /// <param name="ct">Cancels the lookup.</param>
    /// <exception cref="DnsException">DNS did not give an answer.</exception>
    /// <exception cref="ArgumentException"><paramref name="host"/> is neither a DNS name nor an IP literal.</exception>
    public async Task<IReadOnlyList<IPAddress>> ResolveAddressesAsync(string host, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (IpLiteral.TryParse(host, out var literal))
        {
            return [literal];
        }

        var normalized = DnsQueryWriter.NormalizeName(host);
        var v6 = LookupAsync(normalized, DnsRecordType.AAAA, ct);
        var v4 = LookupAsync(normalized, DnsRecordType.A, ct);
        try
        {
            await Task.WhenAll(v6, v4);
        }
        catch (DnsException) when (!ct.IsCancellationRequested)
        {
            // One side failing is judged below, once both have finished.
        }

        var addresses = new List<IPAddress>();
        foreach (var task in new[] { v6, v4 })
        {
            if (task.IsCompletedSuccessfully)
            {
                addresses.AddRange(task.Result.Records.Select(r => r.Address!));
            }
        }

        if (addresses.Count == 0)
        {
            // Nothing found and a side failed: that is not "no such host", so surface the failure.
            var failed = v6.IsFaulted ? v6 : v4;
            if (failed.IsFaulted || failed.IsCanceled)
            {
                await failed;
            }
        }

        return addresses;
    }

    /// <summary>Stops lookups in flight; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _isDisposed, 1) == 0)
        {
            _disposed.Cancel();
            _disposed.Dispose();
        }
    }

    private async Task<DnsAnswer> LookupAsync(string name, DnsRecordType type, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _isDisposed) != 0, this);
        if (_cache.TryGet(name, type, _time.GetUtcNow(), out var cached))
        {
            return cached;
        }

        var message = await QueryServersAsync(name, type, ct);
        var now = _time.GetUtcNow();
        var answer = DnsAnswer.FromMessage(message, name, type, now);
        _cache.Set(name, type, answer, now);
        return answer;
    }
}
