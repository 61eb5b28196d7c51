using Butterfly.Storage.Tests;
using Butterfly.TestUtilities;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>
/// PostgreSQL's <c>text</c> holds no U+0000, which mail can carry (an encoded-word subject, a peer's error line):
/// such a value is stored with U+FFFD in its place instead of failing the write, which would fail again at every retry.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTextTests(PrivatePostgres cluster)
{
    [Fact]
    public async Task CommitAsync_NulInTheSubjectAndSender_StoredWithAReplacementCharacter()
    {
        await using var fixture = await PostgresConformanceFixture.CreateAsync(cluster);
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var summary = new ContentSummary("al\0ice@example.org", ["bob@example.org"], [], "nul\0here", TestMessages.Received, "<nul@example.org>");
        var commit = new DeliveryCommit(TestMessages.Received)
        {
            Copies = [new ContentCopies(TestMessages.Bytes("nul"), summary, [new DeliveryTarget(bob.Id, "Inbox", 0)])],
        };

        await fixture.Store.DeliverAsync(commit);

        var stored = Assert.Single((await fixture.Store.Messages.ListAsync(bob.Id, "Inbox", null, 10)).Value!.Messages);
        Assert.Equal("nul\uFFFDhere", stored.Summary.Subject);
        Assert.Equal("al\uFFFDice@example.org", stored.Summary.From);
    }

    [Fact]
    public async Task UpdateAsync_PeersErrorLineWithANul_RecordedOnTheEntry()
    {
        await using var fixture = await PostgresConformanceFixture.CreateAsync(cluster);
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var commit = new DeliveryCommit(TestMessages.Received)
        {
            Enqueue = [new QueueEntry(QueueKind.Outbound, "id-nul", "b.example", alice.Address, alice.Id, ["bob@b.example"], 0, TestMessages.Received, TestMessages.Bytes("queued"))],
        };
        Assert.True((await fixture.Store.Deliveries.CommitAsync(commit)).Ok);
        var entry = Assert.Single(await fixture.Store.Queue.ListAsync());

        Assert.True(await fixture.Store.Queue.UpdateAsync(new QueueUpdate(entry.Id, entry.Recipients, TestMessages.Received.AddMinutes(1), 1, "451 try\0later", false)));

        Assert.Equal("451 try\uFFFDlater", (await fixture.Store.Queue.FindAsync(entry.Id))!.LastError);
    }
}
