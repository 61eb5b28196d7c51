using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Abuse;

/// <summary><c>butterfly bench login</c> against a real daemon: the flood is capped per address, the guessers are penalized, the user still logs in.</summary>
public sealed class BenchLoginAttackTests
{
    [Fact]
    public async Task BenchLogin_FloodAndGuessers_TimesEveryLoginAndSeesTheFloodRefused()
    {
        await using var daemon = await AbuseDaemon.StartAsync(c =>
        {
            c["limits"] = new JsonObject { ["maxConnectionsPerAddress"] = 4 };
            c["loginPenalty"] = new JsonObject { ["initialDelaySeconds"] = 0.05, ["maxDelaySeconds"] = 0.2 };
        });
        await daemon.RegisterAsync("alice@example.org");

        var run = await CliProcess.RunAsync(
            ["bench", "login", "--server", daemon.EndPoint, "--user", "alice@example.org", "--password", AbuseDaemon.Password,
             "--from", "127.0.0.1", "--logins", "5", "--flood", "8", "--flood-from", "127.0.0.2",
             "--guessers", "3", "--guess-user", "ghost@example.org", "--guess-from", "127.0.0.3", "--warmup", "1", "--json"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(0, result.GetProperty("failed").GetInt64());
        Assert.True(result.GetProperty("latencyMs").GetProperty("p50").GetDouble() > 0, run.Stdout);
        Assert.True(result.GetProperty("floodRefused").GetInt64() > 0, run.Stdout);
        await Eventually.TrueAsync(
            () => daemon.Daemon.Output.Contains("Too many connections from 127.0.0.2 (at most 4)", StringComparison.Ordinal),
            "the daemon logs the flood's refusal");
    }
}
