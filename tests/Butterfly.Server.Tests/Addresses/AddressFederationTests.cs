using System.Text;
using Butterfly.Client;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;
using static Butterfly.Server.Tests.Federation.QueueNetwork;

namespace Butterfly.Server.Tests.Addresses;

/// <summary>Quotas and distribution lists between two real daemons: a.example (alice) and b.example (bob).</summary>
public sealed class AddressFederationTests
{
    [Fact]
    public async Task Send_PeerRecipientOverQuota_PermanentFailureBouncesToTheSender()
    {
        using var directory = new TempDirectory("butterfly-quota-peer");
        await using var network = await StartAsync(directory, QueueSection(retrySeconds: 3600));
        await OperatorAsync(network.ConfigOf(B), "quota", "set", Bob, "1K");

        await using (var alice = await LoginAsync(network[A], Alice))
        {
            await alice.SendAsync(new SendRequest { To = [Bob], Subject = "too big", Text = new string('x', 4000) });
        }

        await WaitForFolderAsync(network[A], Alice, s => s.ContainsKey("Undelivered mail: too big"), "alice has the bounce");
        await WaitForEmptyQueueAsync(network.ConfigOf(A));
        await using var reader = await LoginAsync(network[A], Alice);
        var bounce = await reader.FetchAsync("Inbox", Assert.Single((await reader.ListMessagesAsync("Inbox")).Messages).Id);
        var report = DeliveryReportView.Parse(bounce.Content);
        var bob = Assert.Single(report.Recipients);
        Assert.Equal(("failed", "5.2.2"), (bob["Action"], bob["Status"]));
        Assert.StartsWith("X-Butterfly; quota.exceeded:", bob["Diagnostic-Code"], StringComparison.Ordinal);

        await using var bobClient = await LoginAsync(network[B], Bob);
        Assert.Empty((await bobClient.ListMessagesAsync("Inbox")).Messages);
    }

    [Fact]
    public async Task ListPost_LocalAndRemoteMembers_AllReceiveThroughTheOneDeliveryPath()
    {
        using var directory = new TempDirectory("butterfly-list-peer");
        await using var network = await StartAsync(directory, QueueSection(retrySeconds: 0.5));
        await network.AddUserAsync("carol@a.example");
        var config = network.ConfigOf(A);
        await OperatorAsync(config, "mailing-list", "create", "team@a.example", "--owner", Alice, "--policy", "anyone");
        await OperatorAsync(config, "mailing-list", "add", "team@a.example", "carol@a.example");
        await OperatorAsync(config, "mailing-list", "add", "team@a.example", Bob);

        // Bob posts from b.example: a takes the post from its peer, then fans it out to carol here and back to bob.
        await using (var bob = await LoginAsync(network[B], Bob))
        {
            Assert.Equal("queued", Assert.Single(await SendAsync(bob, "from afar", "team@a.example")).Status);
        }

        await WaitForFolderAsync(network[A], "carol@a.example", s => s.ContainsKey("from afar"), "carol has the post");
        await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("from afar"), "bob has the post back from the list");
        await using var bobReader = await LoginAsync(network[B], Bob);
        var copy = Assert.Single((await bobReader.ListMessagesAsync("Inbox")).Messages);
        var text = Encoding.UTF8.GetString((await bobReader.FetchAsync("Inbox", copy.Id)).Content);
        Assert.Contains("List-Id: <team.a.example>", text, StringComparison.Ordinal);

        // Bob's From is not a.example's to relay (peers check that From aligns with the sending domain):
        // the list sends it on From itself, with bob in Reply-To.
        var fields = MimeKit.MimeMessage.Load(new MemoryStream((await bobReader.FetchAsync("Inbox", copy.Id)).Content));
        Assert.Equal("team@a.example", Assert.Single(fields.From.Mailboxes).Address);
        Assert.Equal(Bob, Assert.Single(fields.ReplyTo.Mailboxes).Address);

        // Policy owner: bob may not post any more; the refusal comes back to him as a bounce.
        await OperatorAsync(config, "mailing-list", "policy", "team@a.example", "owner");
        await using (var bob = await LoginAsync(network[B], Bob))
        {
            await SendAsync(bob, "not allowed", "team@a.example");
        }

        await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("Undelivered mail: not allowed"), "bob has the bounce");
        await WaitForEmptyQueueAsync(network.ConfigOf(A));
        await using var carol = await LoginAsync(network[A], "carol@a.example");
        Assert.Equal(["from afar"], (await carol.ListMessagesAsync("Inbox")).Messages.Select(m => m.Subject));
    }

    private static async Task OperatorAsync(string config, params string[] args)
    {
        var result = await CliProcess.RunAsync([.. args, "--config", config]);
        Assert.True(result.ExitCode == 0, $"butterfly {string.Join(' ', args)}: {result}");
    }
}
