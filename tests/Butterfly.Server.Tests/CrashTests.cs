using System.Collections.Concurrent;
using Butterfly.Client;
using Butterfly.TestUtilities;
using Xunit.Abstractions;

namespace Butterfly.Server.Tests;

/// <summary>Never lose an acknowledged message: kill -9 the daemon under load, restart, count.</summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillDuringConcurrentSends_EveryAcknowledgedMessageIsThereOnce()
    {
        using var directory = new TempDirectory("butterfly-crash");
        var config = DaemonProcess.WriteConfig(directory.Path, ["example.org"], c =>
            c["registration"] = new System.Text.Json.Nodes.JsonObject { ["open"] = true });
        var daemon = await DaemonProcess.StartAsync(config);
        var acknowledged = new ConcurrentBag<string>();
        var failed = 0;
        try
        {
            await using (var setup = await ButterflyClient.ConnectAsync(daemon.EndPoint))
            {
                await setup.RegisterAsync("bob@example.org", "bob-password");
                await setup.LogoutAsync();
                await setup.RegisterAsync("alice@example.org", "alice-password");
            }

            using var stop = new CancellationTokenSource();
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var senders = Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
            {
                await using var connection = await ButterflyClient.ConnectAsync(daemon.EndPoint);
                await connection.LoginAsync("alice@example.org", "alice-password");
                for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
                {
                    var subject = $"crash-{client}-{sequence}";
                    try
                    {
                        await connection.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = subject, Text = new string('x', 2000) });
                        acknowledged.Add(subject);
                        if (acknowledged.Count >= 200)
                        {
                            enough.TrySetResult();
                        }
                    }
                    catch (Exception ex) when (ex is ButterflyConnectionException or IOException or TimeoutException or ObjectDisposedException)
                    {
                        Interlocked.Increment(ref failed);
                        return;
                    }
                }
            })).ToArray();

            // Let the senders get going, then pull the plug mid-stream. Senders that all fail
            // first, or a daemon too slow to acknowledge 200 sends in a minute, fail the test here.
            await Task.WhenAny(enough.Task, Task.WhenAll(senders)).WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(enough.Task.IsCompleted, $"only {acknowledged.Count} sends were acknowledged before the senders stopped");

            await daemon.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }
        finally
        {
            await daemon.DisposeAsync();
        }

        output.WriteLine($"acknowledged before kill -9: {acknowledged.Count}; sends cut off: {failed}");
        daemon = await DaemonProcess.StartAsync(config);
        try
        {
            await using var bob = await ButterflyClient.ConnectAsync(daemon.EndPoint);
            await bob.LoginAsync("bob@example.org", "bob-password");
            var inbox = await ReadAllSubjectsAsync(bob, "Inbox");
            await bob.LogoutAsync();
            await bob.LoginAsync("alice@example.org", "alice-password");
            var sent = await ReadAllSubjectsAsync(bob, "Sent");

            foreach (var subject in acknowledged)
            {
                Assert.True(inbox.TryGetValue(subject, out var copies), $"acknowledged {subject} is missing from the Inbox");
                Assert.Equal(1, copies);
                Assert.Equal(1, sent.GetValueOrDefault(subject));
            }

            // Unacknowledged sends may or may not have landed, but never twice, and never half (Inbox without Sent).
            Assert.All(inbox, pair => Assert.Equal(1, pair.Value));
            Assert.Equal(inbox.Keys.Order(), sent.Keys.Order());
            output.WriteLine($"after restart: {inbox.Count} in Inbox ({inbox.Count - acknowledged.Count} unacknowledged but committed)");
        }
        finally
        {
            await daemon.StopAsync();
            await daemon.DisposeAsync();
        }
    }

    private static async Task<Dictionary<string, int>> ReadAllSubjectsAsync(ButterflyClient client, string folder)
    {
        var counts = new Dictionary<string, int>();
        long? before = null;
        do
        {
            var page = await client.ListMessagesAsync(folder, 500, before);
            foreach (var message in page.Messages)
            {
                counts[message.Subject!] = counts.GetValueOrDefault(message.Subject!) + 1;
            }

            before = page.Next;
        }
        while (before is not null);
        return counts;
    }
}
