using Xunit;

namespace Butterfly.Client.Tests.Connection;

public sealed class ButterflyEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1:7410", "127.0.0.1", 7410)]
    [InlineData("mail.example.org:25", "mail.example.org", 25)]
    [InlineData("[::1]:9000", "::1", 9000)]
    [InlineData("[::1]", "::1", 7410)]
    [InlineData("::1", "::1", 7410)]
    [InlineData("localhost", "localhost", 7410)]
    public void TryParse_Valid_HostAndPort(string text, string host, int port)
    {
        Assert.True(ButterflyEndpoint.TryParse(text, out var endpoint));
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":7410")]
    [InlineData("host:")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:-1")]
    [InlineData("[::1]x")]
    [InlineData("[]:80")]
    public void TryParse_Invalid_False(string text)
    {
        Assert.False(ButterflyEndpoint.TryParse(text, out _));
    }

    [Fact]
    public void ToString_IPv6_Bracketed()
    {
        Assert.Equal("[::1]:7410", new ButterflyEndpoint("::1", 7410).ToString());
        Assert.Equal("a.org:1", new ButterflyEndpoint("a.org", 1).ToString());
    }
}
