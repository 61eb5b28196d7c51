using Butterfly.Server.Configuration;
using Butterfly.Server.Federation;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Federation;

/// <summary>The peers map, <c>--peer</c>, and the dialback secret file (protocol/peer.md, "Configuration").</summary>
public sealed class PeerConfigurationTests
{
    [Fact]
    public void Load_PeerOverrides_AddToTheFileMapAndKeepItsTlsSettings()
    {
        using var directory = new TempDirectory("butterfly-peer-config");
        var config = DaemonProcess.WriteConfig(directory.Path, ["a.example"], json =>
            json["peers"] = new System.Text.Json.Nodes.JsonObject
            {
                ["b.example"] = new System.Text.Json.Nodes.JsonObject { ["address"] = "127.0.0.1:1", ["tls"] = true, ["pin"] = string.Join(':', Enumerable.Repeat("AB", 32)) },
            });

        var options = ButterflyConfiguration.Load(config, new ConfigOverrides { Peers = ["b.example=127.0.0.1:7412", "C.Example=[::1]:7413"] });

        Assert.Equal("127.0.0.1:7412", options.Peers["b.example"].Address);
        Assert.True(options.Peers["b.example"].Tls);
        Assert.Equal(string.Concat(Enumerable.Repeat("ab", 32)), options.Peers["b.example"].NormalizedPin);
        Assert.Equal("[::1]:7413", options.Peers["c.example"].Address);
        Assert.True(options.Peers["c.example"].TryParseAddress(out var host, out var port));
        Assert.Equal(("::1", 7413), (host, port));
    }

    [Fact]
    public void PeerConnector_CaFileMissing_IsAConfigurationErrorNamingTheKey()
    {
        using var directory = new TempDirectory("butterfly-peer-config");
        var options = new ButterflyOptions { Domains = ["a.example"], ConfigDirectory = directory.Path };
        options.Federation.CaFile = "no-such-ca.pem";

        var failure = Assert.Throws<ConfigurationException>(() =>
            new PeerConnector(options, new PeerLocator(options, null), null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        Assert.Contains("federation.caFile", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(directory.Path, "no-such-ca.pem"), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MalformedPeerPin_IsAConfigurationError()
    {
        using var directory = new TempDirectory("butterfly-peer-config");
        var config = DaemonProcess.WriteConfig(directory.Path, ["a.example"], json =>
            json["peers"] = new System.Text.Json.Nodes.JsonObject
            {
                ["b.example"] = new System.Text.Json.Nodes.JsonObject { ["address"] = "127.0.0.1:1", ["tls"] = true, ["pin"] = "AB:CD" },
            });

        var failure = Assert.Throws<ConfigurationException>(() => ButterflyConfiguration.Load(config, ConfigOverrides.None));

        Assert.Contains("peers.b.example.pin", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("b.example")]
    [InlineData("b.example=")]
    [InlineData("=127.0.0.1:7412")]
    [InlineData("b.example=127.0.0.1")]
    [InlineData("b.example=127.0.0.1:70000")]
    public void Load_MalformedPeerOverride_IsAConfigurationError(string entry)
    {
        using var directory = new TempDirectory("butterfly-peer-config");
        var config = DaemonProcess.WriteConfig(directory.Path, ["a.example"]);

        var error = Assert.Throws<ConfigurationException>(() => ButterflyConfiguration.Load(config, new ConfigOverrides { Peers = [entry] }));

        Assert.Contains("--peer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PeerWithoutPort_IsRefused()
    {
        using var directory = new TempDirectory("butterfly-peer-config");
        var config = DaemonProcess.WriteConfig(directory.Path, ["a.example"], json =>
            json["peers"] = new System.Text.Json.Nodes.JsonObject { ["b.example"] = new System.Text.Json.Nodes.JsonObject { ["address"] = "b.example" } });

        var error = Assert.Throws<ConfigurationException>(() => ButterflyConfiguration.Load(config, ConfigOverrides.None));

        Assert.Contains("peers.b.example.address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DialbackKeys_NoSecretConfigured_GeneratesOnePrivateFileAndKeepsIt()
    {
        using var directory = new TempDirectory("butterfly-secret");
        var options = new ButterflyOptions { Domains = ["a.example"], DataDirectory = directory.Combine("data") };

        var first = DialbackKeys.Load(options).Compute("b.example", "a.example", "c1");
        var second = DialbackKeys.Load(options).Compute("b.example", "a.example", "c1");

        var path = Path.Combine(directory.Combine("data"), DialbackKeys.SecretFileName);
        Assert.Equal(first, second);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Matches("^[0-9a-f]{64}$", File.ReadAllText(path));
        Assert.NotEqual(first, DialbackKeys.Load(options).Compute("b.example", "a.example", "c2"));
    }
}
