using System.Text.Json.Nodes;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Web;

/// <summary>One real daemon with the web client on a port of its own, open registration and small limits, shared by a test class.</summary>
public sealed class WebDaemon : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("butterfly-web");

    public DaemonProcess Daemon { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, ["example.org"], c =>
        {
            c["registration"] = new JsonObject { ["open"] = true };
            c["limits"] = new JsonObject { ["maxMessageBytes"] = 400_000, ["maxFrameBytes"] = 600_000, ["maxFrameBytesBeforeLogin"] = 4096 };
        });
        Daemon = await DaemonProcess.StartAsync(config);
    }

    public async Task DisposeAsync()
    {
        await Daemon.StopAsync();
        await Daemon.DisposeAsync();
        _directory.Dispose();
    }
}
