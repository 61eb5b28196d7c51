using System.Net;
using Butterfly.Server.Configuration;
using Butterfly.Server.Dns;

namespace Butterfly.Server.Tests.Dns;

public sealed class DnsOptionsTests
{
    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1:53")]
    [InlineData("192.0.2.1:5353", "192.0.2.1:5353")]
    [InlineData(" 192.0.2.1 ", "192.0.2.1:53")]
    [InlineData("2001:db8::1", "[2001:db8::1]:53")]
    [InlineData("[2001:db8::1]", "[2001:db8::1]:53")]
    [InlineData("[::1]:5353", "[::1]:5353")]
    public void TryParseServer_Valid_Parsed(string text, string expected)
    {
        Assert.True(DnsOptions.TryParseServer(text, out var endpoint));
        Assert.Equal(expected, endpoint.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("dns.example")]
    [InlineData("192.0.2.1:0")]
    [InlineData("192.0.2.1:65536")]
    [InlineData("192.0.2.1:x")]
    [InlineData("[2001:db8::1")]
    [InlineData("[2001:db8::1]53")]
    [InlineData("[192.0.2.1]:53")]
    [InlineData("1:53")]
    [InlineData("10")]
    public void TryParseServer_Invalid_Rejected(string text)
    {
        Assert.False(DnsOptions.TryParseServer(text, out _));
    }

    [Fact]
    public void Validate_BadOptions_NamesEachProblem()
    {
        var options = new DnsOptions { Servers = ["nope", "0.0.0.0"], TimeoutSeconds = 0, Attempts = 0 };

        var problems = options.Validate().ToList();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("'nope'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'0.0.0.0' is the unspecified address", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new DnsResolver(options));
    }

    [Fact]
    public void Validate_Defaults_NoProblems()
    {
        Assert.Empty(new DnsOptions().Validate());
    }

    [Fact]
    public void Constructor_ServersInOptions_AskedInThatOrder()
    {
        var resolver = new DnsResolver(new DnsOptions { Servers = ["192.0.2.53", "[2001:db8::53]:5353"] });

        Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.53"), 53), new IPEndPoint(IPAddress.Parse("2001:db8::53"), 5353)], resolver.Servers);
    }

    [Fact]
    public void Constructor_NoServersInOptions_UsesResolvConf()
    {
        var resolver = new DnsResolver(new DnsOptions());

        Assert.Equal(ResolvConfNameservers(), resolver.Servers);
    }

    /// <summary>The test's own reading of /etc/resolv.conf: nameserver lines in order, 127.0.0.1:53 when there are none.</summary>
    private static List<IPEndPoint> ResolvConfNameservers()
    {
        var servers = new List<IPEndPoint>();
        if (File.Exists("/etc/resolv.conf"))
        {
            foreach (var line in File.ReadLines("/etc/resolv.conf"))
            {
                var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (words is ["nameserver", var address, ..] && IPAddress.TryParse(address, out var ip))
                {
                    servers.Add(new IPEndPoint(ip, 53));
                }
            }
        }

        return servers.Count > 0 ? servers : [new IPEndPoint(IPAddress.Loopback, 53)];
    }
}
