using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Federation;
using Butterfly.Server.Mail;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Federation;

/// <summary>The peer client (<see cref="PeerTransport"/>) in the test process against real daemons (protocol/peer.md, "Delivering").</summary>
public sealed class PeerTransportTests(PeerNetworkFixture fixture) : IClassFixture<PeerNetworkFixture>
{
    private const string A = "a.example";
    private const string B = "b.example";

    private PeerNetwork Network => fixture.Network;

    [Fact]
    public async Task DeliverAsync_SeveralRecipientsOnOneDomain_OneDeliveryPerRecipientResult()
    {
        await using var transport = PeerTestKit.Transport(Network, A);
        var id = PeerTestKit.NewId();
        var message = TestMessages.Simple("alice@a.example", "bob@b.example, carol@b.example", "to two at b");

        var results = await transport.DeliverAsync(B, id, "alice@a.example", ["bob@b.example", "carol@b.example", "nobody@b.example"], 1, message, default);

        Assert.Equal(["bob@b.example", "carol@b.example", "nobody@b.example"], results.Select(r => r.Recipient));
        Assert.Equal([RecipientStatus.Delivered, RecipientStatus.Delivered, RecipientStatus.Unknown], results.Select(r => r.Status));
        Assert.Equal("recipient.unknown", results[2].Code);
        Assert.Single(await PeerTestKit.ListAsync(Network, "bob@b.example"), m => m.Subject == "to two at b");
        Assert.Single(await PeerTestKit.ListAsync(Network, "carol@b.example"), m => m.Subject == "to two at b");

        // One peer.deliver carried both copies.
        Assert.Equal(1, await PeerTestKit.WaitForLinesAsync(Network[B], $"peer.deliver {id} from {A}: 2 of 3 delivered"));
    }

    [Fact]
    public async Task DeliverAsync_BothWays_ArrivesInEachInbox()
    {
        await using var fromA = PeerTestKit.Transport(Network, A);
        await using var fromB = PeerTestKit.Transport(Network, B);

        var there = await fromA.DeliverAsync(B, PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 1, TestMessages.Simple("alice@a.example", "bob@b.example", "a to b"), default);
        var back = await fromB.DeliverAsync(A, PeerTestKit.NewId(), "bob@b.example", ["alice@a.example"], 1, TestMessages.Simple("bob@b.example", "alice@a.example", "b to a"), default);

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(there).Status);
        Assert.Equal(RecipientStatus.Delivered, Assert.Single(back).Status);
        Assert.Single(await PeerTestKit.ListAsync(Network, "bob@b.example"), m => m.Subject == "a to b");
        Assert.Single(await PeerTestKit.ListAsync(Network, "alice@a.example"), m => m.Subject == "b to a");
    }

    [Fact]
    public async Task DeliverAsync_SameIdTwice_StoresOnceAndAnswersTheSame()
    {
        await using var transport = PeerTestKit.Transport(Network, A);
        var id = PeerTestKit.NewId();
        var message = TestMessages.Simple("alice@a.example", "bob@b.example", "exactly once");

        var first = await transport.DeliverAsync(B, id, "alice@a.example", ["bob@b.example", "ghost@b.example"], 1, message, default);
        var again = await transport.DeliverAsync(B, id, "alice@a.example", ["bob@b.example", "ghost@b.example"], 1, message, default);

        Assert.Equal(first, again);
        Assert.Single(await PeerTestKit.ListAsync(Network, "bob@b.example"), m => m.Subject == "exactly once");
        Assert.Equal(1, await PeerTestKit.WaitForLinesAsync(Network[B], $"peer.deliver {id} from {A}: 1 of 2 delivered (duplicate"));
    }

    [Fact]
    public async Task DeliverAsync_ManyConcurrent_ShareOneAuthenticatedConnection()
    {
        var before = PeerTestKit.CountLines(Network[B], $"Dialback: {A} -> {B} verified by callback");
        await using var transport = PeerTestKit.Transport(Network, A);

        var deliveries = Enumerable.Range(0, 20).Select(i => transport.DeliverAsync(
            B, PeerTestKit.NewId(), "alice@a.example", ["carol@b.example"], 1, TestMessages.Simple("alice@a.example", "carol@b.example", $"burst {i}"), default));
        var results = await Task.WhenAll(deliveries);

        Assert.All(results, r => Assert.Equal(RecipientStatus.Delivered, Assert.Single(r).Status));
        Assert.Equal(20, (await PeerTestKit.ListAsync(Network, "carol@b.example")).Count(m => m.Subject!.StartsWith("burst ", StringComparison.Ordinal)));
        Assert.Equal(before + 1, await PeerTestKit.WaitForLinesAsync(Network[B], $"Dialback: {A} -> {B} verified by callback", before + 1));
    }

    [Fact]
    public async Task DeliverAsync_PeerNotListening_IsTemporary()
    {
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var transport = PeerTestKit.Transport(Network, A, o => o.Peers[B] = new PeerOptions { Address = $"127.0.0.1:{closedPort}" });

        var failure = await Assert.ThrowsAsync<PeerException>(() => transport.DeliverAsync(
            B, PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 1, TestMessages.Simple("alice@a.example", "bob@b.example", "nowhere"), default));

        Assert.False(failure.Permanent);
        Assert.Equal("peer.unreachable", failure.Code);
    }

    [Fact]
    public async Task DeliverAsync_WrongSecret_IsRefusedTemporarily()
    {
        // A sender that does not hold a.example's secret cannot prove a.example.
        await using var transport = PeerTestKit.Transport(Network, A, o => o.Federation.Secret = "not-the-secret-of-a.example");

        var failure = await Assert.ThrowsAsync<PeerException>(() => transport.DeliverAsync(
            B, PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 1, TestMessages.Simple("alice@a.example", "bob@b.example", "impostor"), default));

        Assert.False(failure.Permanent);
        Assert.Equal("peer.auth-failed", failure.Code);
        Assert.DoesNotContain(await PeerTestKit.ListAsync(Network, "bob@b.example"), m => m.Subject == "impostor");
    }

    [Fact]
    public async Task DeliverAsync_HopLimitExceeded_IsPermanentLoop()
    {
        await using var transport = PeerTestKit.Transport(Network, A);

        var failure = await Assert.ThrowsAsync<PeerException>(() => transport.DeliverAsync(
            B, PeerTestKit.NewId(), "alice@a.example", ["bob@b.example"], 26, TestMessages.Simple("alice@a.example", "bob@b.example", "looping"), default));

        Assert.True(failure.Permanent);
        Assert.Equal("message.loop", failure.Code);
    }
}
