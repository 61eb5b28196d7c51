using Butterfly.Storage.Tests;
using Butterfly.TestUtilities;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>
/// The delivery commit stores its contents before it locks the target accounts (so that building their search
/// vectors does not hold the locks); a repeat of a delivery already stored must not leave those contents behind.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDeliveryCommitTests(PrivatePostgres cluster)
{
    [Fact]
    public async Task CommitAsync_RepeatAfterTheOriginalWasDeleted_LeavesNoContentBehind()
    {
        await using var fixture = await PostgresConformanceFixture.CreateAsync(cluster);
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        DeliveryCommit Commit(string result) =>
            TestMessages.Delivery("once", new DeliveryTarget(bob.Id, "Inbox", MessageFlags.None)) with
            {
                Record = new ReceivedRecord("a.example", "id-1", result),
            };
        var first = (await fixture.Store.Deliveries.CommitAsync(Commit("first"))).Value!;
        var trashed = (await fixture.Store.Messages.DeleteAsync(bob.Id, "Inbox", [first.Copies[0].Id])).Value!;
        Assert.True((await fixture.Store.Messages.DeleteAsync(bob.Id, "Trash", [1])).Ok, $"moved to Trash: {trashed}");
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));

        var repeat = (await fixture.Store.Deliveries.CommitAsync(Commit("second"))).Value!;

        Assert.True(repeat.IsDuplicate);
        Assert.Equal("first", repeat.ExistingResult);
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM messages"));
    }

    [Fact]
    public async Task CommitAsync_ManyCommitsSharingContentsAndAccountsInEveryOrder_AllStored()
    {
        await using var fixture = await PostgresConformanceFixture.CreateAsync(cluster);
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var carol = await fixture.CreateAccountAsync("carol@example.org");
        var (one, two) = (TestMessages.Bytes("one"), TestMessages.Bytes("two"));
        DeliveryCommit Commit(int i)
        {
            ContentCopies toBob = new(i % 2 == 0 ? one : two, ContentSummary.Empty, [new DeliveryTarget(bob.Id, "Inbox", 0)]);
            ContentCopies toCarol = new(i % 2 == 0 ? two : one, ContentSummary.Empty, [new DeliveryTarget(carol.Id, "Inbox", 0)]);
            return new DeliveryCommit(TestMessages.Received) { Copies = i % 3 == 0 ? [toBob, toCarol] : [toCarol, toBob] };
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => fixture.Store.Deliveries.CommitAsync(Commit(i))));

        Assert.All(results, r => Assert.True(r.Ok, r.Detail));
        Assert.Equal(48, await fixture.ScalarAsync("SELECT COUNT(*) FROM messages"));
        Assert.Equal(2, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
    }
}
