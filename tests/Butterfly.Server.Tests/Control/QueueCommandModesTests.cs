using System.Globalization;
using System.Text.Json;
using Butterfly.TestUtilities;
using static Butterfly.Server.Tests.Federation.QueueNetwork;

namespace Butterfly.Server.Tests.Control;

/// <summary>
/// <c>butterfly queue ...</c> on a real queue: through the control socket while a.example's daemon
/// runs (where <c>queue retry</c> wakes the worker), and on the store directly while it is stopped.
/// </summary>
public sealed class QueueCommandModesTests
{
    [Fact]
    public async Task QueueCommands_ThroughTheSocketAndDirect_SameListingRetryWakesDropRemoves()
    {
        using var directory = new TempDirectory("butterfly-queue-modes");

        // Retries are an hour apart and an idle worker sleeps up to a minute: only a woken worker
        // delivers a retried message within the deadlines below.
        await using var network = await StartAsync(directory, QueueSection(retrySeconds: 3600));
        await network[B].StopAsync();
        await using (var alice = await LoginAsync(network[A], Alice))
        {
            await SendAsync(alice, "socket-retry", Bob);
            await SendAsync(alice, "direct-drop", Bob, "carol@b.example");
            await SendAsync(alice, "direct-retry", Bob);
        }

        var config = network.ConfigOf(A);
        var queue = await WaitForQueueAsync(
            config,
            q => q.GetArrayLength() == 3 && q.EnumerateArray().All(e => e.GetProperty("attempts").GetInt32() >= 1),
            "a first attempt of each message",
            seconds: 30);

        // Ids follow the order of sending: socket-retry, direct-drop (two recipients), direct-retry.
        var ids = queue.EnumerateArray().OrderBy(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal([1, 2, 1], ids.Select(e => e.GetProperty("recipients").GetArrayLength()));
        var (first, dropId) = (Id(ids[0]), Id(ids[1]));
        var socketText = await OkAsync("queue", "list", "--config", config);
        var socketJson = await OkAsync("queue", "list", "--json", "--config", config);

        await network[A].StopAsync();
        var directText = await OkAsync("queue", "list", "--config", config);
        var directJson = await OkAsync("queue", "list", "--json", "--config", config);
        Assert.Equal(socketText, directText);
        Assert.Equal(socketJson, directJson);
        Assert.Contains("3 messages queued", directText, StringComparison.Ordinal);

        // Through the socket: the retried message goes out at once, the others stay.
        await network.StartAgainAsync(B);
        await network.StartAgainAsync(A);
        Assert.Equal($"message {first} due now\n", await OkAsync("queue", "retry", first, "--config", config));
        var inbox = await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("socket-retry"), "the retried message arrives", seconds: 30);
        Assert.Single(inbox);
        Assert.Equal(2, (await QueueListAsync(config)).GetArrayLength());

        // Directly on the store, with the daemon stopped.
        await network[A].StopAsync();
        Assert.Equal($"dropped message {dropId}\n", await OkAsync("queue", "drop", dropId, "--config", config));
        var missing = await CliProcess.RunAsync(["queue", "drop", dropId, "--config", config]);
        Assert.Equal((1, $"error: queue.not-found: No queued message {dropId} (see butterfly queue list).\n"), (missing.ExitCode, missing.Stderr.ReplaceLineEndings("\n")));
        Assert.Equal("{\n  \"retried\": 1\n}\n", await OkAsync("queue", "retry", "--json", "--config", config));

        // The daemon reads the queue when it starts: the message made due while it was stopped goes out.
        await network.StartAgainAsync(A);
        inbox = await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("direct-retry"), "the message retried directly arrives", seconds: 30);
        await WaitForEmptyQueueAsync(config, seconds: 30);
        Assert.False(inbox.ContainsKey("direct-drop"));
    }

    private static string Id(JsonElement entry) => entry.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);

    private static async Task<string> OkAsync(params string[] args)
    {
        var result = await CliProcess.RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.ReplaceLineEndings("\n");
    }
}
