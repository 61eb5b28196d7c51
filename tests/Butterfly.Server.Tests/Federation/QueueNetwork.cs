using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Federation;

/// <summary>Helpers for queue tests on real daemons: alice@a.example writes to b.example.</summary>
internal static class QueueNetwork
{
    public const string A = "a.example";
    public const string B = "b.example";
    public const string Alice = "alice@a.example";
    public const string Bob = "bob@b.example";

    /// <summary>Starts a.example and b.example with alice and bob, the queue section set by <paramref name="queue"/>.</summary>
    public static Task<PeerNetwork> StartAsync(TempDirectory directory, JsonObject queue, Action<string, JsonObject>? configure = null) =>
        PeerNetwork.StartAsync(
            directory.Path,
            [A, B],
            (domain, json) =>
            {
                json["queue"] = queue.DeepClone();
                configure?.Invoke(domain, json);
            },
            [Alice, Bob]);

    /// <summary>A queue section: <paramref name="retrySeconds"/> between attempts.</summary>
    public static JsonObject QueueSection(double retrySeconds, double giveUpAfterSeconds = 3600, double delayNoticeAfterSeconds = 0) => new()
    {
        ["retrySeconds"] = new JsonArray(retrySeconds),
        ["giveUpAfterSeconds"] = giveUpAfterSeconds,
        ["delayNoticeAfterSeconds"] = delayNoticeAfterSeconds,
    };

    public static async Task<ButterflyClient> LoginAsync(DaemonProcess daemon, string user)
    {
        var client = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await client.LoginAsync(user, PeerNetwork.Password);
        return client;
    }

    /// <summary>Sends a text message; returns each recipient's status.</summary>
    public static async Task<IReadOnlyList<RecipientStatus>> SendAsync(ButterflyClient client, string subject, params string[] to)
    {
        var result = await client.SendAsync(new SendRequest { To = to, Subject = subject, Text = "Hello from the queue tests.\n" });
        return result.Recipients;
    }

    /// <summary>Subject → number of copies in <paramref name="folder"/>.</summary>
    public static async Task<Dictionary<string, int>> SubjectsAsync(ButterflyClient client, string folder = "Inbox")
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        long? before = null;
        do
        {
            var page = await client.ListMessagesAsync(folder, 500, before);
            foreach (var message in page.Messages)
            {
                var subject = message.Subject ?? string.Empty;
                counts[subject] = counts.GetValueOrDefault(subject) + 1;
            }

            before = page.Next;
        }
        while (before is not null);
        return counts;
    }

    /// <summary>Waits until <paramref name="user"/>'s folder satisfies <paramref name="done"/>; fails after <paramref name="seconds"/>.</summary>
    public static async Task<Dictionary<string, int>> WaitForFolderAsync(
        DaemonProcess daemon,
        string user,
        Func<Dictionary<string, int>, bool> done,
        string what,
        string folder = "Inbox",
        double seconds = 60)
    {
        await using var client = await LoginAsync(daemon, user);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (true)
        {
            var subjects = await SubjectsAsync(client, folder);
            if (done(subjects))
            {
                return subjects;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}; {folder} holds: {string.Join(", ", subjects.Select(p => $"{p.Key}×{p.Value}"))}");
            await Task.Delay(100);
        }
    }

    /// <summary>The queue as <c>butterfly queue list --json</c> prints it.</summary>
    public static async Task<JsonElement> QueueListAsync(string config)
    {
        var result = await CliProcess.RunAsync(["queue", "list", "--json", "--config", config]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    /// <summary>Waits until the queue of the daemon with <paramref name="config"/> is empty.</summary>
    public static Task WaitForEmptyQueueAsync(string config, double seconds = 60) =>
        WaitForQueueAsync(config, queue => queue.GetArrayLength() == 0, "an empty queue", seconds);

    /// <summary>Polls the queue list (a condition with a deadline that fails loudly) until <paramref name="condition"/> holds.</summary>
    public static async Task<JsonElement> WaitForQueueAsync(string config, Func<JsonElement, bool> condition, string what, double seconds = 60)
    {
        var queue = default(JsonElement);
        await Eventually.TrueAsync(
            async () => condition(queue = await QueueListAsync(config)),
            what,
            TimeSpan.FromSeconds(seconds));
        return queue;
    }
}
