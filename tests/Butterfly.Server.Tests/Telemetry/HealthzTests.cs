using System.Net;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Telemetry;

/// <summary><c>/healthz</c> says why the daemon is not ready: here, a data folder with no room for new mail.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class HealthzTests : IDisposable
{
    private readonly TempDirectory _directory = new("bf-healthz");
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Healthz_DataFolderDiskFull_NotReadyWithReasonThenReadyAgain()
    {
        using var disk = SmallDisk.Mount(_directory.Combine("disk"), 16L << 20);
        var config = DaemonProcess.WriteConfig(_directory.Path, configure: c =>
        {
            c["dataDirectory"] = Path.Combine(disk.Path, "data");
            c["store"] = new JsonObject { ["minFreeBytes"] = 1 << 20, ["reserveBytes"] = 2 << 20, ["freeSpaceCheckSeconds"] = 0.1 };
        });
        await using var daemon = await DaemonProcess.StartAsync(config);
        var health = new Uri(daemon.MetricsAddress!, "/healthz");
        Assert.Equal((HttpStatusCode.OK, "ready\n"), await GetAsync(health));

        var filler = disk.Fill();
        await Eventually.TrueAsync(async () => (await GetAsync(health)).Status == HttpStatusCode.ServiceUnavailable, "healthz reports the full disk");
        var (_, body) = await GetAsync(health);
        Assert.StartsWith("not ready: storage full: ", body, StringComparison.Ordinal);
        Assert.Contains("store.minFreeBytes (1048576)", body, StringComparison.Ordinal);

        File.Delete(filler);
        await Eventually.TrueAsync(async () => (await GetAsync(health)).Status == HttpStatusCode.OK, "healthz is ready again once space returns");
        Assert.Equal(0, await daemon.StopAsync());
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(Uri address)
    {
        using var response = await _http.GetAsync(address);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
