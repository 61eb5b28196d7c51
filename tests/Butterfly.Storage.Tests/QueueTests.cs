namespace Butterfly.Storage.Tests;

public sealed class QueueTests
{
    private static QueueEntry Entry(string deliveryId, string domain, DateTimeOffset due, params string[] recipients) =>
        new(QueueKind.Outbound, deliveryId, domain, "alice@example.org", null, recipients, 0, due, TestMessages.Bytes(deliveryId));

    [Fact]
    public async Task CommitAsync_CopiesAndQueueEntries_StoredTogether()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        var content = TestMessages.Bytes("hello");
        var entry = new QueueEntry(
            QueueKind.Outbound, "d1", "b.example", alice.Address, alice.Id, ["bob@b.example", "carol@b.example"], 1, TestMessages.Received, content, "{\"x\":1}");

        var result = await fixture.Store.CommitAsync(
            new DeliveryCommit(content, TestMessages.Summary("hello"), [new DeliveryTarget(alice.Id, "Sent", MessageFlags.Seen)], TestMessages.Received)
            {
                Enqueue = [entry],
            });

        Assert.False(result.IsDuplicate);
        Assert.Single(result.Copies);
        var queued = Assert.Single(await fixture.Store.ListQueueAsync());
        Assert.Equal(result.QueueIds[0], queued.Id);
        Assert.Equal((QueueKind.Outbound, "d1", "b.example", alice.Id, 1, content.Length), (queued.Kind, queued.DeliveryId, queued.Domain, queued.SenderAccountId, queued.Hops, (int)queued.Size));
        Assert.Equal(["bob@b.example", "carol@b.example"], queued.Recipients);
        Assert.Equal("{\"x\":1}", queued.Meta);
        Assert.Equal(content, await fixture.Store.ReadQueuedContentAsync(queued.Id));
        Assert.Equal(1, (await fixture.Store.ListFoldersAsync(alice.Id)).Single(f => f.Name == "Sent").Messages);
    }

    [Fact]
    public async Task CommitAsync_MissingFolder_NothingQueued()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();

        await Assert.ThrowsAsync<StoreException>(() => fixture.Store.CommitAsync(
            new DeliveryCommit(TestMessages.Bytes("x"), TestMessages.Summary("x"), [new DeliveryTarget(alice.Id, "Nowhere", MessageFlags.None)], TestMessages.Received)
            {
                Enqueue = [Entry("d1", "b.example", TestMessages.Received, "bob@b.example")],
            }));

        Assert.Empty(await fixture.Store.ListQueueAsync());
    }

    [Fact]
    public async Task CommitAsync_RepeatedRecord_ReturnsFirstAnswerAndStoresNothing()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        DeliveryCommit Commit(string result) =>
            new(TestMessages.Bytes("once"), TestMessages.Summary("once"), [new DeliveryTarget(bob.Id, "Inbox", MessageFlags.None)], TestMessages.Received)
            {
                Record = new ReceivedRecord("a.example", "id-1", result),
            };

        var first = await fixture.Store.CommitAsync(Commit("first"));
        var second = await fixture.Store.CommitAsync(Commit("second"));

        Assert.False(first.IsDuplicate);
        Assert.True(second.IsDuplicate);
        Assert.Equal("first", second.ExistingResult);
        Assert.Empty(second.Copies);
        Assert.Equal(1, (await fixture.Store.ListFoldersAsync(bob.Id)).Single(f => f.Name == "Inbox").Messages);
        Assert.Equal("first", await fixture.Store.FindReceivedAsync("a.example", "id-1"));
        Assert.Null(await fixture.Store.FindReceivedAsync("other.example", "id-1"));
    }

    [Fact]
    public async Task CommitAsync_ConcurrentRepeats_ExactlyOneCopy()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var commits = Enumerable.Range(0, 20).Select(i => fixture.Store.CommitAsync(
            new DeliveryCommit(TestMessages.Bytes("race"), TestMessages.Summary("race"), [new DeliveryTarget(bob.Id, "Inbox", MessageFlags.None)], TestMessages.Received)
            {
                Record = new ReceivedRecord("a.example", "same", $"answer {i}"),
            }));

        var results = await Task.WhenAll(commits);

        Assert.Single(results, r => !r.IsDuplicate);
        Assert.Equal(1, (await fixture.Store.ListFoldersAsync(bob.Id)).Single(f => f.Name == "Inbox").Messages);
    }

    [Fact]
    public async Task CommitAsync_BounceWithQueueUpdate_RemovesRecipientsAtomically()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        var queued = await fixture.Store.CommitAsync(
            new DeliveryCommit(ReadOnlyMemory<byte>.Empty, TestMessages.Summary("x"), [], TestMessages.Received)
            {
                Enqueue = [Entry("d1", "b.example", TestMessages.Received, "bob@b.example", "carol@b.example")],
            });
        var id = queued.QueueIds[0];
        var later = TestMessages.Received.AddMinutes(5);

        await fixture.Store.CommitAsync(
            new DeliveryCommit(TestMessages.Bytes("bounce"), TestMessages.Summary("bounce"), [new DeliveryTarget(alice.Id, "Inbox", MessageFlags.None)], TestMessages.Received)
            {
                QueueUpdate = new QueueUpdate(id, ["carol@b.example"], later, 1, "temporary", DelayNotified: true),
            });

        var entry = await fixture.Store.GetQueuedAsync(id);
        Assert.NotNull(entry);
        Assert.Equal(["carol@b.example"], entry.Recipients);
        Assert.Equal((later, 1, "temporary", true), (entry.NextAttempt, entry.Attempts, entry.LastError, entry.DelayNotified));
        Assert.Equal(1, (await fixture.Store.ListFoldersAsync(alice.Id)).Single(f => f.Name == "Inbox").Messages);

        Assert.True(await fixture.Store.UpdateQueuedAsync(new QueueUpdate(id, [], later, 2, null, true)));
        Assert.Null(await fixture.Store.GetQueuedAsync(id));
        Assert.False(await fixture.Store.RemoveQueuedAsync(id));
    }

    [Fact]
    public async Task GetDueQueueAsync_OnlyDueOfKind_MostOverdueFirst_RetryMakesDue()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var now = TestMessages.Received;
        await fixture.Store.CommitAsync(
            new DeliveryCommit(ReadOnlyMemory<byte>.Empty, TestMessages.Summary("x"), [], now)
            {
                Enqueue =
                [
                    Entry("late", "b.example", now.AddMinutes(-1), "bob@b.example"),
                    Entry("early", "c.example", now.AddMinutes(-10), "carol@c.example"),
                    Entry("future", "d.example", now.AddHours(1), "dan@d.example"),
                    new QueueEntry(QueueKind.Inbound, "held", null, "x@example.org", null, ["bob@example.org"], 0, now.AddMinutes(-20), TestMessages.Bytes("h")),
                ],
            });

        var due = await fixture.Store.GetDueQueueAsync(QueueKind.Outbound, now, 10);
        Assert.Equal(["early", "late"], due.Select(d => d.DeliveryId));
        Assert.Single(await fixture.Store.GetDueQueueAsync(QueueKind.Outbound, now, 1));
        Assert.Equal("held", Assert.Single(await fixture.Store.GetDueQueueAsync(QueueKind.Inbound, now, 10)).DeliveryId);

        var future = (await fixture.Store.ListQueueAsync(QueueKind.Outbound)).Single(q => q.DeliveryId == "future");
        Assert.Equal(1, await fixture.Store.RetryQueuedAsync(future.Id, now));
        Assert.Equal(3, (await fixture.Store.GetDueQueueAsync(QueueKind.Outbound, now, 10)).Count);
        Assert.Equal(4, await fixture.Store.RetryQueuedAsync(null, now));
    }

    [Fact]
    public async Task Queue_SurvivesReopen()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        await fixture.Store.CommitAsync(
            new DeliveryCommit(ReadOnlyMemory<byte>.Empty, TestMessages.Summary("x"), [], TestMessages.Received)
            {
                Enqueue = [Entry("d1", "b.example", TestMessages.Received, "bob@b.example")],
                Record = new ReceivedRecord("a.example", "r1", "{}"),
            });

        await fixture.ReopenAsync();

        Assert.Equal("d1", Assert.Single(await fixture.Store.ListQueueAsync()).DeliveryId);
        Assert.Equal("{}", await fixture.Store.FindReceivedAsync("a.example", "r1"));
        Assert.Equal(0, await fixture.Store.PruneReceivedAsync(DateTimeOffset.UtcNow.AddDays(-1)));
        Assert.Equal(1, await fixture.Store.PruneReceivedAsync(DateTimeOffset.UtcNow.AddMinutes(1)));
    }
}
