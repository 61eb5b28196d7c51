using System.Diagnostics;
using System.Text.Json;
using Butterfly.TestUtilities;
using static Butterfly.Server.Tests.Scripts.ScriptNetwork;

namespace Butterfly.Server.Tests.Scripts;

/// <summary><c>butterfly script ...</c> as real processes against a real daemon.</summary>
public sealed class ScriptCliTests
{
    private const string Echo = """
        export function onMessage(message, ctx) {
          ctx.state.count = (ctx.state.count || 0) + 1;
          ctx.log("echoing " + message.subject);
          ctx.send({ to: "carol@a.example", subject: "echo: " + message.subject, text: message.text });
        }
        """;

    [Fact]
    public async Task ScriptCommands_OperatorAndOwner_ManageTestAndFollowAScript()
    {
        using var directory = new TempDirectory("butterfly-script-cli");
        await using var network = await StartAsync(directory, domains: [A]);
        var config = network.ConfigOf(A);
        var owner = new Dictionary<string, string>
        {
            ["BUTTERFLY_SERVER"] = network[A].EndPoint,
            ["BUTTERFLY_USER"] = Alice,
            ["BUTTERFLY_PASSWORD"] = PeerNetwork.Password,
        };

        var allowed = await CliProcess.RunAsync(["script", "allow", "echo@a.example", "--owner", Alice, "--config", config]);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Contains("allowed echo@a.example (owner alice@a.example)", allowed.Stdout, StringComparison.Ordinal);
        var taken = await CliProcess.RunAsync(["script", "allow", Carol, "--owner", Alice, "--config", config]);
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains("address.taken", taken.Stderr, StringComparison.Ordinal);

        var script = Path.Combine(directory.Path, "echo.js");
        await File.WriteAllTextAsync(script, Echo);
        var put = await CliProcess.RunAsync(["script", "put", "echo@a.example", script], environment: owner);
        Assert.True(put.ExitCode == 0, put.ToString());
        Assert.Contains("stored version 1 of the script of echo@a.example", put.Stdout, StringComparison.Ordinal);

        var broken = Path.Combine(directory.Path, "broken.js");
        await File.WriteAllTextAsync(broken, "export function onMessage(m, ctx) {\n  ctx.log(;\n}\n");
        var refused = await CliProcess.RunAsync(["script", "put", "echo@a.example", broken], environment: owner);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("script.syntax", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 2", refused.Stderr, StringComparison.Ordinal);
        var get = await CliProcess.RunAsync(["script", "get", "echo@a.example"], environment: owner);
        Assert.Equal(Echo, get.Stdout.TrimEnd('\n'));

        var list = await CliProcess.RunAsync(["script", "list", "--json"], environment: owner);
        Assert.Equal("echo@a.example", JsonDocument.Parse(list.Stdout).RootElement.GetProperty("scripts")[0].GetProperty("address").GetString());
        var all = await CliProcess.RunAsync(["script", "list", "--all", "--config", config]);
        Assert.Contains("echo@a.example", all.Stdout, StringComparison.Ordinal);

        var message = Path.Combine(directory.Path, "message.eml");
        await File.WriteAllTextAsync(message, "From: dave@a.example\r\nTo: echo@a.example\r\nSubject: dry\r\n\r\nJust trying.\r\n");
        var test = await CliProcess.RunAsync(["script", "test", "echo@a.example", "--file", message, "--sender", Dave], environment: owner);
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("would send \"echo: dry\" to carol@a.example", test.Stdout, StringComparison.Ordinal);
        Assert.Contains("would store the state: {\"count\":1}", test.Stdout, StringComparison.Ordinal);

        var state = Path.Combine(directory.Path, "state.json");
        await File.WriteAllTextAsync(state, """{"count": 10}""");
        var set = await CliProcess.RunAsync(["script", "state", "echo@a.example", "--set", state], environment: owner);
        Assert.True(set.ExitCode == 0, set.ToString());

        // Follow the log while a message arrives: the run shows up as one JSON line.
        var info = CliProcess.StartInfo(["script", "logs", "echo@a.example", "--follow", "--json"]);
        foreach (var (key, value) in owner)
        {
            info.Environment[key] = value;
        }

        using var follow = Process.Start(info)!;
        try
        {
            await using (var dave = await LoginAsync(network[A], Dave))
            {
                await SendAsync(dave, "live", "hello", "echo@a.example");
            }

            var line = await follow.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var run = JsonDocument.Parse(line!).RootElement;
            Assert.Equal(("completed", true), (run.GetProperty("outcome").GetString(), run.GetProperty("committed").GetBoolean()));
            Assert.Equal("echoing live", run.GetProperty("log")[0].GetString());
        }
        finally
        {
            follow.Kill();
            await follow.WaitForExitAsync();
        }

        var read = await CliProcess.RunAsync(["script", "state", "echo@a.example", "--json"], environment: owner);
        Assert.Equal(11, JsonDocument.Parse(read.Stdout).RootElement.GetProperty("count").GetInt32());
        var logs = await CliProcess.RunAsync(["script", "logs", "echo@a.example"], environment: owner);
        Assert.Contains("message completed committed", logs.Stdout, StringComparison.Ordinal);
        Assert.Contains("send \"echo: live\" to carol@a.example", logs.Stdout, StringComparison.Ordinal);

        var deleted = await CliProcess.RunAsync(["script", "delete", "echo@a.example"], environment: owner);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        var disallowed = await CliProcess.RunAsync(["script", "disallow", "echo@a.example", "--config", config]);
        Assert.True(disallowed.ExitCode == 0, disallowed.ToString());
        var gone = await CliProcess.RunAsync(["script", "get", "echo@a.example"], environment: owner);
        Assert.Contains("script.not-allowed", gone.Stderr, StringComparison.Ordinal);
    }
}
