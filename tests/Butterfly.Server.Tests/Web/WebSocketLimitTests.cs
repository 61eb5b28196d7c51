using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Web;

/// <summary>The client port's connection limits hold for /ws too, counted by the HTTP connection's address.</summary>
public sealed class WebSocketLimitTests : IDisposable
{
    private readonly TempDirectory _directory = new("bf-web-limits");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Ws_PastMaxConnectionsPerAddress_ServerBusyFrameThenClose()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, configure: c => c["limits"] = new JsonObject { ["maxConnectionsPerAddress"] = 2 });
        await using var daemon = await DaemonProcess.StartAsync(config);
        var from = System.Net.IPAddress.Parse("127.0.0.88");

        // One TCP connection and one WebSocket from the same address fill its share.
        await using var tcp = await RawSession.ConnectAsync(daemon.EndPoint, from);
        Assert.True((await tcp.RequestAsync(new { cmd = "hello", version = 1 })).Ok);
        await using var first = await WebSocketSession.ConnectAsync(daemon, from: from);
        Assert.True((await first.RequestAsync(new { cmd = "hello", version = 1 })).Ok);

        await using var refused = await WebSocketSession.ConnectAsync(daemon, from: from);
        var busy = await refused.NextEventAsync();
        Assert.Equal("server.busy", busy.Code);
        Assert.Contains("127.0.0.88", busy.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(await refused.ReadFrameAsync());
        Assert.Equal((WebSocketCloseStatus)1013, refused.CloseStatus);

        // Another address is not affected.
        await using var other = await WebSocketSession.ConnectAsync(daemon);
        Assert.True((await other.RequestAsync(new { cmd = "hello", version = 1 })).Ok);
        Assert.Equal(0, await daemon.StopAsync());
    }
}
