namespace Butterfly.Storage.Tests;

/// <summary>
/// The queue's behaviour (entries added by the delivery commit, bytes stored once, due lists, updates, retries), the same on every database (src/Butterfly.Storage/README.md, "Contracts").
/// Each derived class runs every test on one database; a difference is a bug in one of them.
/// </summary>
public abstract class QueueStoreConformance
{
    /// <summary>Opens a new, empty store for one test.</summary>
    protected abstract Task<ConformanceFixture> OpenAsync();

    private static QueueEntry Entry(string deliveryId, string domain, DateTimeOffset due, params string[] recipients) =>
        new(QueueKind.Outbound, deliveryId, domain, "alice@example.org", null, recipients, 0, due, TestMessages.Bytes(deliveryId));

    private static DeliveryCommit Enqueue(params QueueEntry[] entries) => new(TestMessages.Received) { Enqueue = entries };

    [Fact]
    public async Task CommitAsync_CopiesAndQueueEntries_StoredTogether()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var content = TestMessages.Bytes("hello");
        var entry = new QueueEntry(
            QueueKind.Outbound, "d1", "b.example", alice.Address, alice.Id, ["bob@b.example", "carol@b.example"], 1, TestMessages.Received, content, "{\"x\":1}");

        var result = (await fixture.Store.Deliveries.CommitAsync(
            TestMessages.Delivery("hello", new DeliveryTarget(alice.Id, "Sent", MessageFlags.Seen)) with { Enqueue = [entry] })).Value!;

        Assert.False(result.IsDuplicate);
        Assert.Single(result.Copies);
        var queued = Assert.Single(await fixture.Store.Queue.ListAsync());
        Assert.Equal(result.QueueIds[0], queued.Id);
        Assert.Equal((QueueKind.Outbound, "d1", "b.example", alice.Id, 1, content.Length), (queued.Kind, queued.DeliveryId, queued.Domain, queued.SenderAccountId, queued.Hops, (int)queued.Size));
        Assert.Equal(["bob@b.example", "carol@b.example"], queued.Recipients);
        Assert.Equal("{\"x\":1}", queued.Meta);
        Assert.Equal(content, await fixture.Store.Queue.ReadContentAsync(queued.Id));
        Assert.Equal(1, (await fixture.Store.Folders.ListAsync(alice.Id)).Single(f => f.Name == "Sent").Messages);

        // The Sent copy and the queue entry share one content.
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
    }

    [Fact]
    public async Task CommitAsync_SendToThreeDomains_KeepsOneCopyUntilTheLastReferenceGoes()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var bytes = TestMessages.Bytes("to three domains", padding: 50_000);
        var entries = new[] { "b.example", "c.example", "d.example" }
            .Select(d => new QueueEntry(QueueKind.Outbound, "id-" + d, d, alice.Address, alice.Id, ["x@" + d], 0, TestMessages.Received, bytes))
            .ToArray();

        var ids = (await fixture.Store.Deliveries.CommitAsync(new DeliveryCommit(TestMessages.Received)
        {
            Copies = [new ContentCopies(bytes, TestMessages.Summary("to three domains"), [new DeliveryTarget(alice.Id, "Sent", MessageFlags.Seen)])],
            Enqueue = entries,
        })).Value!.QueueIds;

        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(DISTINCT content_id) FROM queue"));
        Assert.InRange(await fixture.ScalarAsync("SELECT SUM(LENGTH(data)) FROM contents"), bytes.Length, bytes.Length);

        Assert.True(await fixture.Store.Queue.RemoveAsync(ids[0]));
        Assert.True(await fixture.Store.Queue.UpdateAsync(new QueueUpdate(ids[1], [], TestMessages.Received, 1, null, false)));
        Assert.True((await fixture.Store.Messages.DeleteAsync(alice.Id, "Sent", [1])).Ok);
        Assert.True((await fixture.Store.Messages.DeleteAsync(alice.Id, "Trash", [1])).Ok);
        Assert.Equal(bytes, await fixture.Store.Queue.ReadContentAsync(ids[2]));
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));

        Assert.True(await fixture.Store.Queue.RemoveAsync(ids[2]));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
    }

    [Fact]
    public async Task CommitAsync_QueuedFirstThenFiled_MessageGetsItsSummary()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var held = new QueueEntry(QueueKind.Inbound, "held", null, "bob@example.org", null, [alice.Address], 0, TestMessages.Received, TestMessages.Bytes("held"));
        var queueId = (await fixture.Store.Deliveries.CommitAsync(Enqueue(held))).Value!.QueueIds[0];
        Assert.Equal(0, await fixture.ScalarAsync("SELECT summarized FROM contents"));

        // The held mail is delivered at last: the entry goes and the copy arrives in one commit.
        await fixture.Store.DeliverAsync(TestMessages.Delivery("held", new DeliveryTarget(alice.Id, "Inbox", 0)) with
        {
            QueueUpdate = new QueueUpdate(queueId, null, TestMessages.Received, 1, null, false),
        });

        var item = (await fixture.Store.Messages.FetchAsync(alice.Id, "Inbox", 1)).Value!.Item;
        Assert.Equal(TestMessages.Summary("held") with { To = [], Cc = [] }, item.Summary with { To = [], Cc = [] });
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents WHERE summarized"));
        Assert.Empty(await fixture.Store.Queue.ListAsync());
    }

    [Fact]
    public async Task CommitAsync_MissingFolder_NothingQueued()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();

        var result = await fixture.Store.Deliveries.CommitAsync(
            TestMessages.Delivery("x", new DeliveryTarget(alice.Id, "Nowhere", MessageFlags.None)) with
            {
                Enqueue = [Entry("d1", "b.example", TestMessages.Received, "bob@b.example")],
            });

        Assert.Equal((StoreError.FolderNotFound, "No such folder: Nowhere"), (result.Error, result.Detail));
        Assert.Empty(await fixture.Store.Queue.ListAsync());
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
    }

    [Fact]
    public async Task CommitAsync_RepeatedRecord_ReturnsFirstAnswerAndStoresNothing()
    {
        await using var fixture = await OpenAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        DeliveryCommit Commit(string result) =>
            TestMessages.Delivery("once", new DeliveryTarget(bob.Id, "Inbox", MessageFlags.None)) with
            {
                Record = new ReceivedRecord("a.example", "id-1", result),
            };

        var first = (await fixture.Store.Deliveries.CommitAsync(Commit("first"))).Value!;
        var second = (await fixture.Store.Deliveries.CommitAsync(Commit("second"))).Value!;

        Assert.False(first.IsDuplicate);
        Assert.True(second.IsDuplicate);
        Assert.Equal("first", second.ExistingResult);
        Assert.Empty(second.Copies);
        Assert.Equal(1, (await fixture.Store.Folders.ListAsync(bob.Id)).Single(f => f.Name == "Inbox").Messages);
        Assert.Equal("first", await fixture.Store.PeerRecords.FindAsync("a.example", "id-1"));
        Assert.Null(await fixture.Store.PeerRecords.FindAsync("other.example", "id-1"));
    }

    [Fact]
    public async Task CommitAsync_ConcurrentRepeats_ExactlyOneCopy()
    {
        await using var fixture = await OpenAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var commits = Enumerable.Range(0, 20).Select(i => fixture.Store.Deliveries.CommitAsync(
            TestMessages.Delivery("race", new DeliveryTarget(bob.Id, "Inbox", MessageFlags.None)) with
            {
                Record = new ReceivedRecord("a.example", "same", $"answer {i}"),
            }));

        var results = await Task.WhenAll(commits);

        Assert.Single(results, r => !r.Value!.IsDuplicate);
        Assert.Equal(1, (await fixture.Store.Folders.ListAsync(bob.Id)).Single(f => f.Name == "Inbox").Messages);
    }

    [Fact]
    public async Task CommitAsync_BounceWithQueueUpdate_RemovesRecipientsAtomically()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var queued = await fixture.Store.Deliveries.CommitAsync(Enqueue(Entry("d1", "b.example", TestMessages.Received, "bob@b.example", "carol@b.example")));
        var id = queued.Value!.QueueIds[0];
        var later = TestMessages.Received.AddMinutes(5);

        await fixture.Store.DeliverAsync(
            TestMessages.Delivery("bounce", new DeliveryTarget(alice.Id, "Inbox", MessageFlags.None)) with
            {
                QueueUpdate = new QueueUpdate(id, ["carol@b.example"], later, 1, "temporary", DelayNotified: true),
            });

        var entry = await fixture.Store.Queue.FindAsync(id);
        Assert.NotNull(entry);
        Assert.Equal(["carol@b.example"], entry.Recipients);
        Assert.Equal((later, 1, "temporary", true), (entry.NextAttempt, entry.Attempts, entry.LastError, entry.DelayNotified));
        Assert.Equal(1, (await fixture.Store.Folders.ListAsync(alice.Id)).Single(f => f.Name == "Inbox").Messages);

        Assert.True(await fixture.Store.Queue.UpdateAsync(new QueueUpdate(id, [], later, 2, null, true)));
        Assert.Null(await fixture.Store.Queue.FindAsync(id));
        Assert.False(await fixture.Store.Queue.RemoveAsync(id));
        Assert.False(await fixture.Store.Queue.UpdateAsync(new QueueUpdate(id, ["x@b.example"], later, 3, null, true)));
    }

    [Fact]
    public async Task ListDueAsync_OnlyDueOfKind_MostOverdueFirst_RetryMakesDue()
    {
        await using var fixture = await OpenAsync();
        var now = TestMessages.Received;
        await fixture.Store.Deliveries.CommitAsync(Enqueue(
            Entry("late", "b.example", now.AddMinutes(-1), "bob@b.example"),
            Entry("early", "c.example", now.AddMinutes(-10), "carol@c.example"),
            Entry("future", "d.example", now.AddHours(1), "dan@d.example"),
            new QueueEntry(QueueKind.Inbound, "held", null, "x@example.org", null, ["bob@example.org"], 0, now.AddMinutes(-20), TestMessages.Bytes("h"))));

        var due = await fixture.Store.Queue.ListDueAsync(QueueKind.Outbound, now, 10);
        Assert.Equal(["early", "late"], due.Select(d => d.DeliveryId));
        Assert.Single(await fixture.Store.Queue.ListDueAsync(QueueKind.Outbound, now, 1));
        Assert.Equal("held", Assert.Single(await fixture.Store.Queue.ListDueAsync(QueueKind.Inbound, now, 10)).DeliveryId);

        var future = (await fixture.Store.Queue.ListAsync(QueueKind.Outbound)).Single(q => q.DeliveryId == "future");
        Assert.Equal(1, await fixture.Store.Queue.RetryAsync(future.Id, now));
        Assert.Equal(3, (await fixture.Store.Queue.ListDueAsync(QueueKind.Outbound, now, 10)).Count);
        Assert.Equal(4, await fixture.Store.Queue.RetryAsync(null, now));
    }

    [Fact]
    public async Task ClaimDueAsync_OneStore_DueOfKindMostOverdueFirstAndAgainUntilUpdated()
    {
        await using var fixture = await OpenAsync();
        var now = TestMessages.Received;
        var queue = fixture.Store.Queue;
        await fixture.Store.Deliveries.CommitAsync(Enqueue(
            Entry("late", "b.example", now.AddMinutes(-1), "bob@b.example"),
            Entry("early", "c.example", now.AddMinutes(-10), "carol@c.example"),
            Entry("future", "d.example", now.AddHours(2), "dan@d.example"),
            new QueueEntry(QueueKind.Inbound, "held", null, "x@example.org", null, ["bob@example.org"], 0, now.AddMinutes(-20), TestMessages.Bytes("h"))));

        var claimed = await queue.ClaimDueAsync(QueueKind.Outbound, now, 10);
        Assert.Equal(["early", "late"], claimed.Select(d => d.DeliveryId));
        Assert.Equal(["bob@b.example"], claimed[1].Recipients);
        Assert.Equal("early", Assert.Single(await queue.ClaimDueAsync(QueueKind.Outbound, now, 1)).DeliveryId);
        Assert.Equal("held", Assert.Single(await queue.ClaimDueAsync(QueueKind.Inbound, now, 10)).DeliveryId);

        // The store's own claims come back (its worker knows what is under way); the operator still sees every entry.
        Assert.Equal(["early", "late"], (await queue.ClaimDueAsync(QueueKind.Outbound, now, 10)).Select(d => d.DeliveryId));
        Assert.Equal(4, (await queue.ListAsync()).Count);

        // An attempt's update ends the claim and reschedules the entry.
        var early = claimed[0];
        Assert.True(await queue.UpdateAsync(new QueueUpdate(early.Id, early.Recipients, now.AddHours(1), 1, "try later", false)));
        Assert.Equal(["late"], (await queue.ClaimDueAsync(QueueKind.Outbound, now, 10)).Select(d => d.DeliveryId));
        Assert.Equal(now.AddHours(1), await queue.NextAttemptAfterAsync(QueueKind.Outbound, now));

        // Given back, an entry is claimed again like any other.
        await queue.ReleaseAsync([claimed[1].Id]);
        Assert.Equal(["late"], (await queue.ClaimDueAsync(QueueKind.Outbound, now, 10)).Select(d => d.DeliveryId));
        Assert.True(await queue.RemoveAsync(claimed[1].Id));
        Assert.Empty(await queue.ClaimDueAsync(QueueKind.Outbound, now, 10));
    }

    [Fact]
    public async Task ClaimDueAsync_ScriptMail_OneStoreTakesEveryDueMessageMostOverdueFirst()
    {
        await using var fixture = await OpenAsync();
        var now = TestMessages.Received;
        QueueEntry Script(string id, string address, int minutesAgo) =>
            new(QueueKind.Script, id, null, "bob@example.net", null, [address], 0, now.AddMinutes(-minutesAgo), TestMessages.Bytes(id));
        await fixture.Store.Deliveries.CommitAsync(Enqueue(Script("x1", "x@example.org", 5), Script("y1", "y@example.org", 9), Script("x2", "x@example.org", 7)));

        var claimed = await fixture.Store.Queue.ClaimDueAsync(QueueKind.Script, now, 10);

        Assert.Equal(["y1", "x2", "x1"], claimed.Select(c => c.DeliveryId));
    }

    [Fact]
    public async Task Queue_SurvivesReopen()
    {
        await using var fixture = await OpenAsync();
        await fixture.Store.Deliveries.CommitAsync(Enqueue(Entry("d1", "b.example", TestMessages.Received, "bob@b.example")) with
        {
            Record = new ReceivedRecord("a.example", "r1", "{}"),
        });

        await fixture.ReopenAsync();

        Assert.Equal("d1", Assert.Single(await fixture.Store.Queue.ListAsync()).DeliveryId);
        Assert.Equal(TestMessages.Bytes("d1"), await fixture.Store.Queue.ReadContentAsync(1));
        Assert.Equal("{}", await fixture.Store.PeerRecords.FindAsync("a.example", "r1"));
        Assert.Equal(0, await fixture.Store.PeerRecords.PruneAsync(DateTimeOffset.UtcNow.AddDays(-1)));
        Assert.Equal(1, await fixture.Store.PeerRecords.PruneAsync(DateTimeOffset.UtcNow.AddMinutes(1)));
    }
}
