using Butterfly.Server.Delivery;
using Butterfly.Server.Mail;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Federation;

/// <summary>Three daemons, three domains, each a peer of the others (protocol/peer.md).</summary>
public sealed class ThreeDomainTests
{
    [Fact]
    public async Task DeliverAsync_ThreeDomains_EachPairDelivers()
    {
        using var directory = new TempDirectory("butterfly-three");
        await using var network = await PeerNetwork.StartAsync(
            directory.Path,
            ["a.example", "b.example", "c.example"],
            users: ["alice@a.example", "bob@b.example", "carl@c.example"]);
        await using var fromA = PeerTestKit.Transport(network, "a.example");
        await using var fromB = PeerTestKit.Transport(network, "b.example");

        var toB = fromA.DeliverAsync("b.example", PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 1, TestMessages.Simple("alice@a.example", "bob@b.example", "a to b"), default);
        var toC = fromA.DeliverAsync("c.example", PeerTestKit.NewId(), "alice@a.example", ["carl@c.example"], 1, TestMessages.Simple("alice@a.example", "carl@c.example", "a to c"), default);
        var bToC = fromB.DeliverAsync("c.example", PeerTestKit.NewId(), "bob@b.example", ["carl@c.example"], 1, TestMessages.Simple("bob@b.example", "carl@c.example", "b to c"), default);
        var results = await Task.WhenAll(toB, toC, bToC);

        Assert.All(results, r => Assert.Equal(RecipientStatus.Delivered, Assert.Single(r).Status));
        Assert.Contains(await PeerTestKit.ListAsync(network, "bob@b.example"), m => m.Subject == "a to b");
        var carl = await PeerTestKit.ListAsync(network, "carl@c.example");
        Assert.Contains(carl, m => m.Subject == "a to c");
        Assert.Contains(carl, m => m.Subject == "b to c");

        // c checked each sender against its own domain: a's key with a's server, b's with b's.
        Assert.True(await PeerTestKit.WaitForLinesAsync(network["a.example"], "peer.verify from") >= 1);
        Assert.True(await PeerTestKit.WaitForLinesAsync(network["b.example"], "peer.verify from") >= 1);
    }
}
