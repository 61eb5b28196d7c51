using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Operations;

/// <summary>SIGHUP re-reads butterfly.json: reloadable keys take effect, a broken file changes nothing, the rest waits for a restart.</summary>
public sealed class ReloadTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("butterfly-reload");
    private DaemonProcess _daemon = null!;
    private string _config = string.Empty;

    public async Task InitializeAsync()
    {
        _config = WriteConfig(maxRecipients: 5);
        _daemon = await DaemonProcess.StartAsync(_config);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task HangUp_ChangedLimit_AppliesToNewConnectionsAndLogsWhatNeedsARestart()
    {
        await using (var before = await ButterflyClient.ConnectAsync(_daemon.EndPoint))
        {
            await before.RegisterAsync("alice@example.org", "alice-password");
            Assert.Equal(5, before.Server.Limits.MaxRecipients);
        }

        WriteConfig(maxRecipients: 2, listen: "127.0.0.1:1");
        _daemon.HangUp();
        await Eventually.TrueAsync(() => _daemon.Output.Contains("Configuration reloaded (SIGHUP)", StringComparison.Ordinal), "the daemon logs the reload");

        Assert.Contains("limits.maxRecipients 5 -> 2", _daemon.Output, StringComparison.Ordinal);
        Assert.Contains("needs a restart: listen \"127.0.0.1:0\" -> \"127.0.0.1:1\"", _daemon.Output, StringComparison.Ordinal);
        await using var after = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await after.LoginAsync("alice@example.org", "alice-password");
        Assert.Equal(2, after.Server.Limits.MaxRecipients);
        var refused = await Assert.ThrowsAnyAsync<ButterflyException>(() => after.SendAsync(new SendRequest
        {
            To = ["a@example.org", "b@example.org", "c@example.org"],
            Subject = "three",
            Text = "one too many",
        }));
        Assert.Equal("recipient.too-many", refused.Code);
    }

    [Fact]
    public async Task HangUp_BrokenFile_IsLoggedWithKeyAndFileAndChangesNothing()
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(_config))!.AsObject();
        json["limits"]!["maxRecipients"] = 2;
        json["limits"]!["maxJsonDepth"] = 1;
        await File.WriteAllTextAsync(_config, json.ToJsonString());

        _daemon.HangUp();
        await Eventually.TrueAsync(() => _daemon.Output.Contains("Configuration not reloaded (SIGHUP); nothing changed", StringComparison.Ordinal), "the daemon logs the refusal");

        Assert.Contains(_config, _daemon.Output, StringComparison.Ordinal);
        Assert.Contains("limits.maxJsonDepth", _daemon.Output, StringComparison.Ordinal);
        await using var client = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        Assert.Equal(5, client.Server.Limits.MaxRecipients);
    }

    [Fact]
    public async Task HangUp_NewSmtpRoute_TheNextDeliveryTakesIt()
    {
        // A receiver that only has to be connected to: the route reached it, so the reload applied.
        using var receiver = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        receiver.Start();
        var port = ((System.Net.IPEndPoint)receiver.LocalEndpoint).Port;
        WriteConfig(maxRecipients: 5, routes: new JsonObject { ["far.example"] = $"127.0.0.1:{port}" }, smtpListen: "127.0.0.1:0");
        _daemon.HangUp();
        await Eventually.TrueAsync(() => _daemon.Output.Contains("Configuration reloaded (SIGHUP)", StringComparison.Ordinal), "the daemon logs the reload");
        Assert.Contains("smtp.routes", _daemon.Output, StringComparison.Ordinal);
        Assert.Contains("needs a restart: smtp.listen", _daemon.Output, StringComparison.Ordinal);

        await using var client = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await client.RegisterAsync("alice@example.org", "alice-password");
        var sent = await client.SendAsync(new SendRequest { To = ["bob@far.example"], Subject = "routed", Text = "by the reloaded route" });
        Assert.Equal("queued", Assert.Single(sent.Recipients).Status);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var connection = await receiver.AcceptTcpClientAsync(timeout.Token);
        Assert.True(connection.Connected);
    }

    private string WriteConfig(int maxRecipients, string listen = "127.0.0.1:0", JsonObject? routes = null, string? smtpListen = null) =>
        DaemonProcess.WriteConfig(_directory.Path, ["example.org"], c =>
        {
            c["listen"] = listen;
            c["registration"] = new JsonObject { ["open"] = true };
            c["limits"] = new JsonObject { ["maxRecipients"] = maxRecipients };
            if (routes is not null || smtpListen is not null)
            {
                c["smtp"] = new JsonObject { ["routes"] = routes ?? [], ["listen"] = smtpListen };
            }
        });
}
