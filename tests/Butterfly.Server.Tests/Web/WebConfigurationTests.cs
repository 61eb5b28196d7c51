using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Butterfly.Server.Configuration;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Web;

/// <summary>The <c>web</c> section: checked like every other (the key and the file named), off when empty, a taken port named.</summary>
public sealed class WebConfigurationTests : IDisposable
{
    private readonly TempDirectory _directory = new("bf-web-config");

    private string ConfigPath => _directory.Combine("butterfly.json");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_Defaults_LoopbackPortTwelveHourTokens()
    {
        File.WriteAllText(ConfigPath, """{ "domains": ["example.org"] }""");
        var options = ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None);
        Assert.Equal("127.0.0.1:7480", options.Web.Listen);
        Assert.True(options.Web.Enabled);
        Assert.False(options.Web.Tls);
        Assert.Empty(options.Web.Origins);
        Assert.Equal(TimeSpan.FromHours(12), options.Web.TokenLifetime);
    }

    [Fact]
    public void Load_MistypedWebKey_NamesItAndTheFile()
    {
        File.WriteAllText(ConfigPath, """
            {
              "domains": ["example.org"],
              "web": { "lisen": "127.0.0.1:0" }
            }
            """);
        var error = Assert.Throws<ConfigurationException>(() => ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None));
        Assert.Equal($"{ConfigPath}:3:12: unknown key 'web.lisen'; did you mean 'web.listen'?", error.Message);
    }

    [Theory]
    [InlineData("""{ "listen": "nowhere" }""", "web.listen: 'nowhere' is not HOST:PORT")]
    [InlineData("""{ "origins": ["evil.example"] }""", "web.origins: 'evil.example' is not an origin")]
    [InlineData("""{ "origins": ["https://mail.example.org/path"] }""", "web.origins: 'https://mail.example.org/path' is not an origin")]
    [InlineData("""{ "tokenLifetimeHours": 0 }""", "web.tokenLifetimeHours: 0 is not a number of hours")]
    public void Load_BadWebValue_RefusedNamingTheKeyAndFile(string web, string expected)
    {
        File.WriteAllText(ConfigPath, $$"""{ "domains": ["example.org"], "web": {{web}} }""");
        var error = Assert.Throws<ConfigurationException>(() => ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None));
        Assert.Contains(ConfigPath, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TlsOfWrongType_NamesTheKey()
    {
        File.WriteAllText(ConfigPath, """{ "domains": ["example.org"], "web": { "tls": "yes" } }""");
        var error = Assert.Throws<ConfigurationException>(() => ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None));
        Assert.Contains("web.tls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WebListenEmpty_NoWebClient()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, configure: c => c["web"] = new JsonObject { ["listen"] = "" });

        await using var daemon = await DaemonProcess.StartAsync(config);

        Assert.Null(daemon.WebUrl);
        Assert.DoesNotContain("Web client on", daemon.Output, StringComparison.Ordinal);
        Assert.Equal(0, await daemon.StopAsync());
    }

    [Fact]
    public async Task Serve_WebPortInUse_OneLineNamingTheKey()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var config = DaemonProcess.WriteConfig(_directory.Path, configure: c => c["web"] = new JsonObject { ["listen"] = $"127.0.0.1:{port}" });

        var result = await CliProcess.RunAsync(["serve", "--config", config]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: listen: 127.0.0.1:{port} (web.listen) is already in use\n", result.Stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Serve_WebOption_OverridesTheFile()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, configure: c => c["web"] = new JsonObject { ["listen"] = "" });

        await using var daemon = await DaemonProcess.StartAsync(config, "--web", "127.0.0.1:0");

        Assert.NotNull(daemon.WebUrl);
        Assert.Equal("http", daemon.WebUrl.Scheme);
        Assert.NotEqual(0, daemon.WebUrl.Port);
    }
}
