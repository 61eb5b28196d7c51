using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Infrastructure;

/// <summary>One real daemon (open registration on, fast hashing) shared by the tests of a class.</summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("butterfly-daemon");

    public DaemonProcess Daemon { get; private set; } = null!;

    public string EndPoint => Daemon.EndPoint;

    public string Directory => _directory.Path;

    public async Task InitializeAsync()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, ["example.org", "example.net"], c =>
        {
            c["registration"] = new System.Text.Json.Nodes.JsonObject { ["open"] = true };
            c["limits"] = new System.Text.Json.Nodes.JsonObject
            {
                ["maxMessageBytes"] = 200_000,
                ["maxFrameBytes"] = 300_000,
                ["maxRecipients"] = 5,
                ["maxJsonDepth"] = 8,
                ["maxHeadBytes"] = 4096,
                ["loginTimeoutSeconds"] = 3,
            };
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
