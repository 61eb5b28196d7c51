using System.Text.Json;
using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Operations;

/// <summary><c>butterfly status</c> against the real daemon, and without one.</summary>
public sealed class StatusTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("butterfly-status");
    private DaemonProcess _daemon = null!;
    private string _config = string.Empty;

    public async Task InitializeAsync()
    {
        _config = DaemonProcess.WriteConfig(_directory.Path, ["example.org"], c =>
            c["registration"] = new System.Text.Json.Nodes.JsonObject { ["open"] = true });
        _daemon = await DaemonProcess.StartAsync(_config);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Status_WithAClientAndAConnectionNotLoggedIn_ReportsThemWithListenersAndStore()
    {
        await using var alice = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await alice.RegisterAsync("alice@example.org", "alice-password");
        await using var waiting = await ButterflyClient.ConnectAsync(_daemon.EndPoint);

        var run = await CliProcess.RunAsync(["status", "--json", "--config", _config]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var status = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.False(string.IsNullOrEmpty(status.GetProperty("version").GetString()));
        Assert.True(status.GetProperty("uptimeSeconds").GetDouble() >= 0);
        var listeners = status.GetProperty("listeners").EnumerateArray()
            .ToDictionary(l => l.GetProperty("name").GetString()!, l => l.GetProperty("address").GetString());
        Assert.Equal(_daemon.EndPoint, listeners["client"]);
        Assert.Equal(Path.Combine(_directory.Path, "data", "control.sock"), listeners["control"]);
        var sessions = status.GetProperty("sessions");
        Assert.Equal(1, sessions.GetProperty("clients").GetInt32());
        Assert.Equal(1, sessions.GetProperty("unauthenticated").GetInt32());
        Assert.Equal(0, sessions.GetProperty("peers").GetInt32());
        Assert.Equal(0, status.GetProperty("queue").GetProperty("outbound").GetInt32());
        Assert.True(status.GetProperty("store").GetProperty("databaseBytes").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Array, status.GetProperty("lastErrors").ValueKind);

        var text = await CliProcess.RunAsync(["status", "--config", _config]);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"client {_daemon.EndPoint}", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("sessions: 1 clients, 0 peers, 1 not logged in", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_MailQueuedForAPeerThatIsDown_CountsItWithItsTimeAndNamesTheDatabase()
    {
        await _daemon.DisposeAsync();
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        _config = DaemonProcess.WriteConfig(_directory.Path, ["example.org"], c =>
        {
            c["registration"] = new System.Text.Json.Nodes.JsonObject { ["open"] = true };
            c["peers"] = new System.Text.Json.Nodes.JsonObject { ["b.example"] = new System.Text.Json.Nodes.JsonObject { ["address"] = $"127.0.0.1:{port}" } };
        });
        _daemon = await DaemonProcess.StartAsync(_config);
        await using var alice = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await alice.RegisterAsync("alice@example.org", "alice-password");
        await alice.SendAsync(new SendRequest { To = ["bob@b.example"], Subject = "queued", Text = "b.example is down" });

        var run = await CliProcess.RunAsync(["status", "--json", "--config", _config]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var status = JsonDocument.Parse(run.Stdout).RootElement;
        var queue = status.GetProperty("queue");
        Assert.Equal(1, queue.GetProperty("outbound").GetInt32());
        Assert.Equal(0, queue.GetProperty("inbound").GetInt32());
        Assert.Equal(JsonValueKind.String, queue.GetProperty("oldest").ValueKind);
        Assert.Equal("SQLite " + Path.Combine(_directory.Path, "data", "butterfly.db"), status.GetProperty("store").GetProperty("database").GetString());
    }

    [Fact]
    public async Task Status_NoDaemon_SaysSoWithExitCode1()
    {
        Assert.Equal(0, await _daemon.StopAsync());

        var run = await CliProcess.RunAsync(["status", "--config", _config]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("daemon.not-running", run.Stderr, StringComparison.Ordinal);
    }
}
