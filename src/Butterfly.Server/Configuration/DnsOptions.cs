using System.Globalization;
using System.Net;

namespace Butterfly.Server.Configuration;

/// <summary>The dns section of <c>butterfly.json</c>: how other domains are looked up (SRV, A, AAAA, MX, TXT).</summary>
public sealed class DnsOptions
{
    private const int DnsPort = 53;

    /// <summary>
    /// Recursive DNS servers to ask, in order: <c>IP</c>, <c>IP:port</c> or <c>[v6]:port</c> (port 53 when absent).
    /// Empty (the default) means the <c>nameserver</c> lines of <c>/etc/resolv.conf</c>.
    /// </summary>
    public List<string> Servers { get; set; } = [];

    /// <summary>Seconds to wait for one reply before the next attempt. Default 2.</summary>
    public double TimeoutSeconds { get; set; } = 2;

    /// <summary>Attempts per server before a lookup fails. Default 2.</summary>
    public int Attempts { get; set; } = 2;

    /// <summary>What is wrong with these options, one sentence per problem; empty when they are usable.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var server in Servers)
        {
            if (!TryParseServer(server, out var endpoint))
            {
                yield return $"dns.servers: '{server}' is not IP, IP:PORT or [IPv6]:PORT.";
            }
            else if (endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                yield return $"dns.servers: '{server}' is the unspecified address; name a server that can be asked.";
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
    }

    /// <summary>The servers of <see cref="Servers"/> that parse, in order (all of them once <see cref="Validate"/> is empty).</summary>
    public IReadOnlyList<IPEndPoint> ParseServers()
    {
        var endpoints = new List<IPEndPoint>(Servers.Count);
        foreach (var server in Servers)
        {
            if (TryParseServer(server, out var endpoint))
            {
                endpoints.Add(endpoint);
            }
        }

        return endpoints;
    }

    /// <summary>Parses a server as written in the options: <c>IP</c>, <c>IP:port</c>, <c>IPv6</c> or <c>[IPv6]:port</c>; port 53 when absent.</summary>
    /// <param name="text">The text.</param>
    /// <param name="endpoint">The server.</param>
    public static bool TryParseServer(string? text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        var span = text.AsSpan().Trim();
        var port = DnsPort;
        ReadOnlySpan<char> host;
        if (span.StartsWith("["))
        {
            var close = span.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            host = span[1..close];
            var rest = span[(close + 1)..];
            if (!rest.IsEmpty && (rest[0] != ':' || !TryParsePort(rest[1..], out port)))
            {
                return false;
            }

            if (!host.Contains(':'))
            {
                return false;
            }
        }
        else if (span.Count(':') == 1)
        {
            var colon = span.IndexOf(':');
            host = span[..colon];
            if (!TryParsePort(span[(colon + 1)..], out port))
            {
                return false;
            }
        }
        else
        {
            host = span;
        }

        if (!IpLiteral.TryParse(host, out var address))
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
