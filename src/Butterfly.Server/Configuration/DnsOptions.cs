using System.Net;
using Butterfly.Server.Federation.Dns;

namespace Butterfly.Server.Configuration;

/// <summary>The dns section of <c>butterfly.json</c>: how peer servers are looked up (SRV, A, AAAA).</summary>
public sealed class DnsOptions
{
    /// <summary>
    /// Recursive DNS servers to ask, in order: <c>IP</c>, <c>IP:port</c> or <c>[v6]:port</c> (port 53 when absent).
    /// Empty (the default) means the <c>nameserver</c> lines of <c>/etc/resolv.conf</c>.
    /// </summary>
    public List<string> Servers { get; set; } = [];

    /// <summary>Seconds to wait for one reply before the next attempt. Default 2.</summary>
    public double TimeoutSeconds { get; set; } = 2;

    /// <summary>Attempts per server before a lookup fails. Default 2.</summary>
    public int Attempts { get; set; } = 2;

    /// <summary>Most answers (positive and negative) kept in the cache; 0 turns caching off. Default 10,000.</summary>
    public int MaxCacheEntries { get; set; } = 10_000;

    /// <summary>What is wrong with these options, one sentence per problem; empty when they are usable.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var server in Servers)
        {
            if (!DnsResolver.TryParseServer(server, out _))
            {
                yield return $"dns.servers: '{server}' is not IP, IP:PORT or [IPv6]:PORT.";
            }
        }

        if (!(TimeoutSeconds > 0 && TimeoutSeconds <= 60))
        {
            yield return "dns.timeoutSeconds must be more than 0 and at most 60.";
        }

        if (Attempts < 1 || Attempts > 10)
        {
            yield return "dns.attempts must be between 1 and 10.";
        }

        if (MaxCacheEntries < 0)
        {
            yield return "dns.maxCacheEntries must be 0 (no cache) or more.";
        }
    }

    internal IReadOnlyList<IPEndPoint> ParseServers()
    {
        var endpoints = new List<IPEndPoint>(Servers.Count);
        foreach (var server in Servers)
        {
            if (DnsResolver.TryParseServer(server, out var endpoint))
            {
                endpoints.Add(endpoint);
            }
        }

        return endpoints;
    }
}
