using Butterfly.TestUtilities;
using static Butterfly.Server.Tests.Federation.QueueNetwork;

namespace Butterfly.Server.Tests.Federation;

/// <summary><c>butterfly queue list|retry|drop</c> on a real queue, with the daemon running.</summary>
public sealed class QueueCliTests
{
    [Fact]
    public async Task QueueCommands_RealQueue_ListDropAndRetryWork()
    {
        using var directory = new TempDirectory("butterfly-queue-cli");

        // Retries are an hour apart: only "queue retry" can bring the message over in this test's time.
        await using var network = await StartAsync(directory, QueueSection(retrySeconds: 3600));
        await network[B].StopAsync();
        await using (var alice = await LoginAsync(network[A], Alice))
        {
            await SendAsync(alice, "keep-me", Bob);
            await SendAsync(alice, "drop-me", Bob, "carol@b.example");
        }

        var config = network.ConfigOf(A);
        await WaitUntilAttemptedAsync(config);
        var list = (await QueueListAsync(config)).EnumerateArray().ToList();
        Assert.Equal(2, list.Count);
        Assert.All(list, e =>
        {
            Assert.Equal("outbound", e.GetProperty("kind").GetString());
            Assert.Equal(B, e.GetProperty("domain").GetString());
            Assert.Equal(Alice, e.GetProperty("sender").GetString());
            Assert.True(e.GetProperty("size").GetInt64() > 0);
            Assert.Equal(1, e.GetProperty("attempts").GetInt32());
            Assert.True(e.GetProperty("nextAttempt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(30));
            Assert.False(string.IsNullOrEmpty(e.GetProperty("lastError").GetString()));
        });
        var drop = list.Single(e => e.GetProperty("recipients").GetArrayLength() == 2);
        Assert.Equal([Bob, "carol@b.example"], drop.GetProperty("recipients").EnumerateArray().Select(r => r.GetString()!).Order().ToArray());

        var table = await CliProcess.RunAsync(["queue", "list", "--config", config]);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("2 messages queued", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("b.example", table.Stdout, StringComparison.Ordinal);

        var dropped = await CliProcess.RunAsync(["queue", "drop", drop.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--config", config]);
        Assert.True(dropped.ExitCode == 0, dropped.ToString());
        Assert.Single((await QueueListAsync(config)).EnumerateArray());

        var missing = await CliProcess.RunAsync(["queue", "drop", "999999", "--config", config]);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: queue.not-found:", missing.Stderr, StringComparison.Ordinal);
        var missingRetry = await CliProcess.RunAsync(["queue", "retry", "999999", "--config", config]);
        Assert.Equal(1, missingRetry.ExitCode);
        Assert.StartsWith("error: queue.not-found:", missingRetry.Stderr, StringComparison.Ordinal);

        await network.StartAgainAsync(B);
        var retried = await CliProcess.RunAsync(["queue", "retry", "--json", "--config", config]);
        Assert.True(retried.ExitCode == 0, retried.ToString());
        Assert.Contains("\"retried\": 1", retried.Stdout, StringComparison.Ordinal);

        var inbox = await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("keep-me"), "bob has the retried message", seconds: 30);
        await WaitForEmptyQueueAsync(config);
        Assert.False(inbox.ContainsKey("drop-me"));
        Assert.Equal(1, inbox["keep-me"]);

        var empty = await CliProcess.RunAsync(["queue", "list", "--config", config]);
        Assert.Contains("The queue is empty.", empty.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueCommands_Help_DescribesEachCommand()
    {
        foreach (var command in new[] { "list", "retry", "drop" })
        {
            var help = await CliProcess.RunAsync(["queue", command, "--help"]);
            Assert.Equal(0, help.ExitCode);
            Assert.Contains($"Usage:\n  butterfly queue {command}", help.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.Contains("--json", help.Stdout, StringComparison.Ordinal);
            Assert.Contains("--config", help.Stdout, StringComparison.Ordinal);
        }
    }

    private static async Task WaitUntilAttemptedAsync(string config)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var list = (await QueueListAsync(config)).EnumerateArray().ToList();
            if (list.Count == 2 && list.All(e => e.GetProperty("attempts").GetInt32() >= 1))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the first attempts");
            await Task.Delay(100);
        }
    }
}
