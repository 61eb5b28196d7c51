using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests;

/// <summary><c>butterfly bench</c> against a daemon whose password-hashing queue is shorter than its crowd of logins.</summary>
public sealed class BenchLoginTests
{
    [Fact]
    public async Task BenchPing_MoreClientsThanTheHashQueue_WaitsOutServerBusy_AndRuns()
    {
        using var directory = new TempDirectory("butterfly-bench-login");
        var config = DaemonProcess.WriteConfig(directory.Path, ["example.org"], c =>
            c["passwords"] = new JsonObject { ["cost"] = 4, ["allowWeakHashingForTests"] = true, ["maxQueuedHashes"] = 1 });
        var added = await CliProcess.RunAsync(["user", "add", "alice@example.org", "--password-stdin", "--config", config], "alice-password\n");
        Assert.True(added.ExitCode == 0, added.ToString());
        await using var daemon = await DaemonProcess.StartAsync(config);

        var run = await CliProcess.RunAsync(
            ["bench", "ping", "--server", daemon.EndPoint, "--user", "alice@example.org", "--password", "alice-password",
             "--clients", "24", "--pipeline", "1", "--duration", "1", "--warmup", "0", "--json"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(0, result.GetProperty("errors").GetInt64());
        Assert.True(result.GetProperty("requests").GetInt64() > 0, run.Stdout);
        Assert.Contains("refused: the password hashing queue is full", daemon.Output, StringComparison.Ordinal);
    }
}
