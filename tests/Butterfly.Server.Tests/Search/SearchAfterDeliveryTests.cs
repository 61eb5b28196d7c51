using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Search;

/// <summary>
/// Mail is indexed just after its commit, off the acknowledgement (Storage's SearchBacklog): a search sent
/// right after a send's reply finds it, and mail acknowledged just before a kill -9 is found after the restart.
/// </summary>
public sealed class SearchAfterDeliveryTests
{
    [Fact]
    public async Task Search_RightAfterEachSend_FindsIt()
    {
        using var directory = new TempDirectory("butterfly-search-after");
        await using var daemon = await DaemonProcess.StartAsync(Config(directory));
        var senders = Enumerable.Range(0, 8).Select(async sender =>
        {
            await using var client = await RegisterAsync(daemon, $"user{sender}");
            for (var i = 0; i < 15; i++)
            {
                var word = $"word{sender}x{i}";
                await client.SendAsync(new SendRequest { To = [$"user{sender}@example.org"], Subject = $"Note {i}", Text = $"The note says {word} today." });

                // The Inbox copy and the Sent copy, both found by the search sent after the reply.
                var found = (await client.SearchAsync(word)).Messages;
                Assert.Equal(["Inbox", "Sent"], found.Select(m => m.Folder).Order());
            }
        });
        await Task.WhenAll(senders);
    }

    [Fact]
    public async Task Search_AfterKillWithMailJustAcknowledged_FindsEveryMessage()
    {
        using var directory = new TempDirectory("butterfly-search-kill");
        var config = Config(directory);
        var words = new List<string>();
        await using (var daemon = await DaemonProcess.StartAsync(config))
        {
            await using var client = await RegisterAsync(daemon, "alice");
            var sends = Enumerable.Range(0, 40).Select(i => $"crashword{i}").Select(async word =>
            {
                await client.SendAsync(new SendRequest { To = ["alice@example.org"], Subject = "Before the kill", Text = $"It says {word}." });
                lock (words)
                {
                    words.Add(word);
                }
            }).ToList();
            await Task.WhenAll(sends);

            // Killed as soon as the last reply is in: some of these may not be indexed yet.
            await daemon.KillAsync();
        }

        await using var restarted = await DaemonProcess.StartAsync(config);
        await using var alice = await ButterflyClient.ConnectAsync(restarted.EndPoint);
        await alice.LoginAsync("alice@example.org", "alice-password");
        foreach (var word in words)
        {
            // What the kill left unindexed is indexed by the background indexer after the start.
            await Eventually.TrueAsync(
                async () => (await alice.SearchAsync(word)).Messages.Count == 2,
                $"the message with {word} is found in Inbox and Sent");
        }
    }

    private static string Config(TempDirectory directory) =>
        DaemonProcess.WriteConfig(directory.Path, ["example.org"], c => c["registration"] = new System.Text.Json.Nodes.JsonObject { ["open"] = true });

    private static async Task<ButterflyClient> RegisterAsync(DaemonProcess daemon, string name)
    {
        var client = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await client.RegisterAsync($"{name}@example.org", $"{name}-password");
        return client;
    }
}
