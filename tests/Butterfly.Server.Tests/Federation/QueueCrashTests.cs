using Butterfly.TestUtilities;
using Xunit.Abstractions;
using static Butterfly.Server.Tests.Federation.QueueNetwork;

namespace Butterfly.Server.Tests.Federation;

/// <summary>
/// kill -9 of the sending daemon with a full queue: every queued message still arrives, once; and
/// every message refused by the receiver bounces, once.
/// </summary>
public sealed class QueueCrashTests(ITestOutputHelper output)
{
    private const int Messages = 100;

    [Fact]
    public async Task KillSender_FullQueueThenMidDelivery_EverythingArrivesExactlyOnce()
    {
        using var directory = new TempDirectory("butterfly-queue-crash");
        await using var network = await StartAsync(directory, QueueSection(retrySeconds: 0.3));
        await network[B].StopAsync();

        await SendAllAsync(network, "crash", Bob);
        Assert.Equal(Messages, (await QueueListAsync(network.ConfigOf(A))).GetArrayLength());
        await network[A].KillAsync();

        await network.StartAgainAsync(B);
        await network.StartAgainAsync(A);

        // Kill the sender again while it is delivering: some deliveries are cut between the
        // receiver's commit and the sender's record of it, and are sent again after the restart.
        var partial = await WaitForFolderAsync(network[B], Bob, s => s.Count >= 10, "deliveries are under way");
        await network[A].KillAsync();
        output.WriteLine($"bob had {partial.Count} messages when the sender was killed mid-delivery");
        await network.StartAgainAsync(A);

        await AssertEachOnceAsync(network, network[B], Bob, "crash-");
    }

    [Fact]
    public async Task KillSender_WhileBouncing_EveryMessageBouncesExactlyOnce()
    {
        using var directory = new TempDirectory("butterfly-bounce-crash");
        await using var network = await StartAsync(directory, QueueSection(retrySeconds: 0.3));
        await SendAllAsync(network, "refused", "nobody@b.example");

        // b.example refuses every one (no such user): each attempt moves its entry on and queues a
        // bounce in one commit, and the held-mail worker delivers the bounce in another. Kill the
        // sender while that goes on, so some messages are cut between the two.
        var partial = await WaitForFolderAsync(network[A], Alice, s => s.Count >= 10, "bounces are coming in");
        await network[A].KillAsync();
        output.WriteLine($"alice had {partial.Count} bounces when the sender was killed");
        await network.StartAgainAsync(A);

        await AssertEachOnceAsync(network, network[A], Alice, "Undelivered mail: refused-");
    }

    /// <summary>Alice sends <see cref="Messages"/> messages, PREFIX-000 on, to <paramref name="recipient"/>; each is queued.</summary>
    private static async Task SendAllAsync(PeerNetwork network, string prefix, string recipient)
    {
        await using var alice = await LoginAsync(network[A], Alice);
        var sends = Enumerable.Range(0, Messages).Select(async i =>
            Assert.Equal("queued", Assert.Single(await SendAsync(alice, $"{prefix}-{i:D3}", recipient)).Status));
        await Task.WhenAll(sends);
    }

    /// <summary>Waits until <paramref name="user"/> has every message SUBJECT-PREFIX000 on and A's queue is empty, then checks each is there once.</summary>
    private static async Task AssertEachOnceAsync(PeerNetwork network, DaemonProcess daemon, string user, string subjectPrefix)
    {
        await WaitForFolderAsync(daemon, user, s => s.Count >= Messages, $"{user} has all {Messages} messages", seconds: 120);
        await WaitForEmptyQueueAsync(network.ConfigOf(A));
        var inbox = await WaitForFolderAsync(daemon, user, _ => true, "a last look");

        Assert.Equal(Messages, inbox.Count);
        Assert.All(Enumerable.Range(0, Messages), i => Assert.Equal(1, inbox.GetValueOrDefault($"{subjectPrefix}{i:D3}")));
    }
}
