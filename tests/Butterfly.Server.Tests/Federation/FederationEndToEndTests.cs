using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Federation;

/// <summary>
/// Mail between real daemons through the whole path: send, the outbound queue, the peer client,
/// dialback, peer.deliver, the receiver's store (protocol/peer.md).
/// </summary>
public sealed class FederationEndToEndTests
{
    [Fact]
    public async Task Send_TwoDaemons_MailArrivesBothWays()
    {
        using var directory = new TempDirectory("butterfly-e2e-two");
        await using var network = await PeerNetwork.StartAsync(directory.Path, ["a.example", "b.example"], users: ["alice@a.example", "bob@b.example"]);

        await using (var alice = await PeerTestKit.LoginAsync(network, "alice@a.example"))
        {
            var sent = await alice.SendAsync(new SendRequest { To = ["bob@b.example"], Subject = "Lunch?", Text = "Noon?" });
            Assert.Equal("queued", Assert.Single(sent.Recipients).Status);
        }

        var bobInbox = await PeerTestKit.WaitForAsync(network, "bob@b.example", 1);
        var lunch = Assert.Single(bobInbox);
        Assert.Equal("Lunch?", lunch.Subject);
        Assert.Contains("alice@a.example", lunch.From, StringComparison.Ordinal);

        await using (var bob = await PeerTestKit.LoginAsync(network, "bob@b.example"))
        {
            await bob.SendAsync(new SendRequest { To = ["alice@a.example"], Subject = "Re: Lunch?", Text = "Yes." });
        }

        var reply = Assert.Single(await PeerTestKit.WaitForAsync(network, "alice@a.example", 1));
        Assert.Equal("Re: Lunch?", reply.Subject);
    }

    [Fact]
    public async Task Send_SeveralRecipientsOnOneRemoteDomain_TravelInOnePeerDeliver()
    {
        using var directory = new TempDirectory("butterfly-e2e-many");
        await using var network = await PeerNetwork.StartAsync(
            directory.Path, ["a.example", "b.example"], users: ["alice@a.example", "bob@b.example", "carol@b.example", "dave@b.example"]);

        await using (var alice = await PeerTestKit.LoginAsync(network, "alice@a.example"))
        {
            await alice.SendAsync(new SendRequest { To = ["bob@b.example", "carol@b.example"], Cc = ["dave@b.example"], Subject = "Team", Text = "Hello all." });
        }

        foreach (var user in new[] { "bob@b.example", "carol@b.example", "dave@b.example" })
        {
            Assert.Equal("Team", Assert.Single(await PeerTestKit.WaitForAsync(network, user, 1)).Subject);
        }

        // One peer.deliver carried all three: b logged one delivery with three results.
        Assert.Equal(1, await PeerTestKit.WaitForLinesAsync(network["b.example"], "from a.example: 3 of 3 delivered"));
        Assert.Equal(1, PeerTestKit.CountLines(network["b.example"], "peer.deliver "));
    }

    [Fact]
    public async Task Send_ThreeDaemons_RecipientsOnTwoRemoteDomainsInOneSend()
    {
        using var directory = new TempDirectory("butterfly-e2e-three");
        await using var network = await PeerNetwork.StartAsync(
            directory.Path, ["a.example", "b.example", "c.example"], users: ["alice@a.example", "bob@b.example", "carl@c.example"]);

        await using (var alice = await PeerTestKit.LoginAsync(network, "alice@a.example"))
        {
            var sent = await alice.SendAsync(new SendRequest { To = ["bob@b.example", "carl@c.example"], Subject = "From a", Text = "To b and c." });
            Assert.All(sent.Recipients, r => Assert.Equal("queued", r.Status));
        }

        await using (var bob = await PeerTestKit.LoginAsync(network, "bob@b.example"))
        {
            await bob.SendAsync(new SendRequest { To = ["carl@c.example"], Subject = "From b", Text = "To c." });
        }

        Assert.Equal("From a", Assert.Single(await PeerTestKit.WaitForAsync(network, "bob@b.example", 1)).Subject);
        var carl = await PeerTestKit.WaitForAsync(network, "carl@c.example", 2);
        Assert.Equal(["From a", "From b"], carl.Select(m => m.Subject).Order(StringComparer.Ordinal));
    }
}
