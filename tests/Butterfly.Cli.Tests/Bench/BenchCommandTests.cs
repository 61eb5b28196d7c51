using System.Text.Json;
using Butterfly.Client.Tests.Fakes;
using Xunit;

namespace Butterfly.Cli.Tests.Bench;

/// <summary>The load tool counts what it measures; no timing is asserted.</summary>
public sealed class BenchCommandTests
{
    private static FakeServer OkServer(List<string>? commands = null) =>
        new((connection, request) =>
        {
            if (commands is not null)
            {
                lock (commands)
                {
                    commands.Add(request.Command);
                }
            }

            return connection.SendAsync(request.Tag, """{"ok":true}""");
        });

    [Theory]
    [InlineData("raw")]
    [InlineData("library")]
    public async Task BenchPing_Count_MeasuresExactlyThatMany(string engine)
    {
        await using var server = OkServer();

        var run = await new CliHarness().Env("BUTTERFLY_PASSWORD", "password123").RunAsync(
            "bench", "ping", "--server", server.Endpoint, "--user", "a@example.org",
            "--clients", "3", "--pipeline", "4", "--count", "3000", "--warmup", "0.1", "--engine", engine, "--json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        var root = document.RootElement;
        Assert.Equal(3000, root.GetProperty("requests").GetInt64());
        Assert.Equal(0, root.GetProperty("errors").GetInt64());
        var latency = root.GetProperty("latencyMs");
        Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p99").GetDouble());
        Assert.True(latency.GetProperty("p99").GetDouble() <= latency.GetProperty("max").GetDouble());
    }

    [Fact]
    public async Task BenchPing_ErrorReplies_CountedAndExitOne()
    {
        await using var server = new FakeServer((connection, request) => connection.SendAsync(
            request.Tag,
            request.Command == "ping" ? """{"ok":false,"code":"auth.required","message":"Log in first."}""" : """{"ok":true}"""));

        var run = await new CliHarness().Env("BUTTERFLY_PASSWORD", "password123").RunAsync(
            "bench", "ping", "--server", server.Endpoint, "--user", "a@example.org",
            "--clients", "1", "--pipeline", "2", "--count", "100", "--warmup", "0", "--json");

        Assert.Equal(1, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        Assert.Equal(100, document.RootElement.GetProperty("errors").GetInt64());
    }

    [Fact]
    public async Task BenchSend_Count_SendsRawMessagesOfTheSize()
    {
        var sizes = new List<int>();
        await using var server = new FakeServer((connection, request) =>
        {
            if (request.Command == "send")
            {
                lock (sizes)
                {
                    sizes.Add(request.Body.Length);
                }
            }

            return connection.SendAsync(request.Tag, """{"ok":true}""");
        });

        var run = await new CliHarness().Env("BUTTERFLY_PASSWORD", "password123").RunAsync(
            "bench", "send", "--server", server.Endpoint, "--user", "a@example.org", "--to", "b@example.org",
            "--clients", "2", "--count", "50", "--size", "4096", "--warmup", "0");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("messages", run.Out, StringComparison.Ordinal);
        Assert.True(sizes.Count >= 50);
        Assert.All(sizes, size => Assert.Equal(4096, size));
    }

    [Theory]
    [InlineData("ping")]
    [InlineData("send")]
    public async Task BenchLoad_Spread_ConnectionsShareOutOverEveryServer(string mode)
    {
        var logins = new int[3];
        var servers = Enumerable.Range(0, 3).Select(i => new FakeServer((connection, request) =>
        {
            if (request.Command == "login")
            {
                Interlocked.Increment(ref logins[i]);
            }

            return connection.SendAsync(request.Tag, """{"ok":true}""");
        })).ToList();
        try
        {
            var run = await new CliHarness().Env("BUTTERFLY_PASSWORD", "password123").RunAsync(
                "bench", mode, "--server", servers[0].Endpoint, "--spread", servers[1].Endpoint, "--spread", servers[2].Endpoint,
                "--user", "a@example.org", "--clients", "7", "--count", "100", "--warmup", "0", "--json");

            Assert.Equal(0, run.ExitCode);
            Assert.Equal(100, JsonDocument.Parse(run.Out).RootElement.GetProperty("requests").GetInt64());
            Assert.Equal([3, 2, 2], logins);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task BenchSend_AlsoUser_EachConnectionSendsToItsOwnAccount()
    {
        var logins = new List<string>();
        var recipients = new HashSet<string>();
        await using var server = new FakeServer((connection, request) =>
        {
            lock (logins)
            {
                if (request.Command == "login")
                {
                    logins.Add(request.Head.GetProperty("user").GetString()!);
                }
                else if (request.Command == "send")
                {
                    recipients.Add(request.Head.GetProperty("rcpt")[0].GetString()!);
                }
            }

            return connection.SendAsync(request.Tag, """{"ok":true}""");
        });

        var run = await new CliHarness().Env("BUTTERFLY_PASSWORD", "password123").RunAsync(
            "bench", "send", "--server", server.Endpoint, "--user", "a@example.org", "--also-user", "b@example.org",
            "--clients", "4", "--count", "40", "--warmup", "0");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["a@example.org", "a@example.org", "b@example.org", "b@example.org"], logins.Order());
        Assert.Equal(["a@example.org", "b@example.org"], recipients.Order());
    }

    [Fact]
    public async Task BenchSend_SpreadNotAnEndpoint_UsageError()
    {
        var run = await new CliHarness().Env("BUTTERFLY_PASSWORD", "password123").RunAsync(
            "bench", "send", "--server", "127.0.0.1:1", "--spread", "nowhere:port", "--user", "a@example.org");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--spread needs HOST:PORT, not 'nowhere:port'.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchPing_LoginRefused_ErrorLine()
    {
        await using var server = new FakeServer((connection, request) =>
            connection.SendAsync(request.Tag, """{"ok":false,"code":"auth.failed","message":"Unknown user or wrong password."}"""));

        var run = await new CliHarness().Env("BUTTERFLY_PASSWORD", "nope").RunAsync(
            "bench", "ping", "--server", server.Endpoint, "--user", "a@example.org", "--clients", "2", "--count", "10");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: auth.failed: Unknown user or wrong password.", run.Error.Trim().Split('\n')[^1]);
    }
}
