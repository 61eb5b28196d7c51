using System.Globalization;
using System.Net;
using Butterfly.Server.Federation.Dns.Internal;

namespace Butterfly.Server.Federation.Dns;

/// <summary>Where the servers come from: the options, or <c>/etc/resolv.conf</c>.</summary>
public sealed partial class DnsResolver
{
    private const int DnsPort = 53;

    /// <summary>
    /// The <c>nameserver</c> lines of a resolv.conf file (resolv.conf(5)), port 53, in file order. Comments
    /// (<c>#</c> or <c>;</c> to the end of the line), other keywords and lines whose address does not parse are
    /// ignored. When the file is missing, unreadable or names no server, the answer is 127.0.0.1:53, as in glibc.
    /// </summary>
    /// <param name="path">The file to read.</param>
    public static IReadOnlyList<IPEndPoint> ReadResolvConf(string path = "/etc/resolv.conf")
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            text = "";
        }

        return ParseResolvConf(text);
    }

    /// <summary>The servers named by resolv.conf text; see <see cref="ReadResolvConf"/>.</summary>
    /// <param name="text">The file's contents.</param>
    public static IReadOnlyList<IPEndPoint> ParseResolvConf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var servers = new List<IPEndPoint>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.AsSpan();
            var comment = line.IndexOfAny('#', ';');
            if (comment >= 0)
            {
                line = line[..comment];
            }

            var words = line.ToString().Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && words[0] == "nameserver" && IpLiteral.TryParse(words[1], out var address) && words[1][0] != '[')
            {
                servers.Add(new IPEndPoint(address, DnsPort));
            }
        }

        return servers.Count > 0 ? servers : [new IPEndPoint(IPAddress.Loopback, DnsPort)];
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
