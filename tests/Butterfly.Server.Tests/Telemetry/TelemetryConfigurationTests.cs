using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Telemetry;

/// <summary><c>metrics.listen</c> and <c>logging.format</c>: refused with the key named, and off when empty.</summary>
public sealed class TelemetryConfigurationTests : IDisposable
{
    private readonly TempDirectory _directory = new("bf-telemetry-config");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("nowhere")]
    [InlineData("127.0.0.1")]
    [InlineData("example.org:9410")]
    public async Task Serve_BadMetricsListen_RefusedNamingTheKey(string listen)
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, configure: c => c["metrics"] = new System.Text.Json.Nodes.JsonObject { ["listen"] = listen });

        var result = await CliProcess.RunAsync(["serve", "--config", config]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"metrics.listen: '{listen}' is not HOST:PORT", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_BadLogFormat_RefusedNamingTheKey()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, configure: c => c["logging"]!["format"] = "yaml");

        var result = await CliProcess.RunAsync(["serve", "--config", config]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("logging.format: 'yaml' is not text or json.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_MetricsListenEmpty_NoEndpoint()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, configure: c => c["metrics"] = new System.Text.Json.Nodes.JsonObject { ["listen"] = "" });

        await using var daemon = await DaemonProcess.StartAsync(config);

        Assert.Null(daemon.MetricsAddress);
        Assert.DoesNotContain("metrics on", daemon.Output, StringComparison.Ordinal);
        Assert.Equal(0, await daemon.StopAsync());
    }
}
