using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Tests;

public sealed class WriterTests
{
    [Fact]
    public async Task DeliverAsync_200Concurrent_AllCompleteInFewerCommits()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var commitsBefore = fixture.Store.Statistics.Commits;

        var deliveries = Enumerable.Range(0, 200).Select(i => Task.Run(() => fixture.Store.DeliverAsync(new DeliveryCommit(TestMessages.Received)
        {
            Copies =
            [
                new ContentCopies(
                    TestMessages.Bytes($"m{i}", padding: 10_000),
                    TestMessages.Summary($"m{i}"),
                    [new DeliveryTarget(bob.Id, "Inbox", 0), new DeliveryTarget(alice.Id, "Sent", MessageFlags.Seen)]),
            ],
        })));
        var results = await Task.WhenAll(deliveries);

        var commits = fixture.Store.Statistics.Commits - commitsBefore;
        Assert.True(commits < 200, $"{commits} commits for 200 deliveries");
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), results.Select(r => r[0].Id).Order());
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), results.Select(r => r[1].Id).Order());
        Assert.Equal(200, Database.Scalar(fixture, "SELECT COUNT(*) FROM contents"));
        Assert.Equal(400, Database.Scalar(fixture, "SELECT COUNT(*) FROM messages"));
        Assert.True(fixture.Store.Statistics.LargestBatch > 1);
    }

    [Fact]
    public async Task Batch_OneFailingItem_OthersCommit()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        using var hold = WriterHold.Start(store);
        var commitsBefore = store.Statistics.Commits;

        var good = Enumerable.Range(0, 10)
            .Select(i => store.DeliverAsync(TestMessages.Delivery($"g{i}", new DeliveryTarget(alice.Id, "Inbox", 0))))
            .ToList();
        var badFolder = store.Deliveries.CommitAsync(TestMessages.Delivery("bad", new DeliveryTarget(alice.Id, "Inbox", 0), new DeliveryTarget(alice.Id, "Missing", 0)));
        var badValue = store.Messages.AppendAsync(alice.Id, "Missing", TestMessages.Bytes("v"), ContentSummary.Empty, 0, TestMessages.Received);
        var badSql = store.Writer.EnqueueAsync<int>(context => { context.Session.Execute("INSERT INTO no_such_table VALUES (1)"); return 0; }, default);
        good.Add(store.DeliverAsync(TestMessages.Delivery("last", new DeliveryTarget(alice.Id, "Inbox", 0))));
        hold.Release();

        await Task.WhenAll(good);
        Assert.Equal(StoreError.FolderNotFound, (await badFolder).Error);
        Assert.Equal(StoreError.FolderNotFound, (await badValue).Error);
        await Assert.ThrowsAsync<SqliteException>(() => badSql);
        await hold.Completion;
        // One commit for the held operation, one for everything queued behind it.
        Assert.Equal(2, store.Statistics.Commits - commitsBefore);
        Assert.Equal(11, Database.Scalar(fixture, "SELECT COUNT(*) FROM messages"));
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), good.Select(t => t.Result[0].Id).Order());
        Assert.Equal(0, Database.Scalar(fixture, "SELECT COUNT(*) FROM contents WHERE subject IN ('bad')"));
    }

    [Fact]
    public async Task DisposeAsync_DrainsPendingWork()
    {
        var fixture = await StoreFixture.CreateAsync();
        await using (fixture)
        {
            var alice = await fixture.CreateAccountAsync();
            var store = fixture.Store;
            List<Task<IReadOnlyList<DeliveredCopy>>> pending;
            Task disposing;
            using (var hold = WriterHold.Start(store))
            {
                pending = Enumerable.Range(0, 50)
                    .Select(i => store.DeliverAsync(TestMessages.Delivery($"p{i}", new DeliveryTarget(alice.Id, "Inbox", 0))))
                    .ToList();
                disposing = store.DisposeAsync().AsTask();
                Assert.False(disposing.IsCompleted);
                await Assert.ThrowsAsync<ObjectDisposedException>(() => store.DeliverAsync(TestMessages.Delivery("late", new DeliveryTarget(alice.Id, "Inbox", 0))));
            }

            await disposing;
            Assert.All(pending, t => Assert.True(t.IsCompletedSuccessfully));

            await fixture.ReopenAsync();
            Assert.Equal(50, (await fixture.Store.Messages.ListAsync(alice.Id, "Inbox", null, 1)).Value!.Total);
        }
    }

    [Fact]
    public async Task SecondInstance_CreatesAccountWhileFirstIsOpen()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");

        await using (var cli = await fixture.OpenSecondAsync())
        {
            // Both write at once: the daemon delivering, the CLI adding a user.
            var daemonWrites = Enumerable.Range(0, 20)
                .Select(i => fixture.Store.DeliverAsync(TestMessages.Delivery($"d{i}", new DeliveryTarget(alice.Id, "Inbox", 0))))
                .ToList();
            var created = await cli.Accounts.CreateAsync("bob@example.org", "pw");
            await Task.WhenAll(daemonWrites);

            Assert.True(created.Ok);
            Assert.Equal(created.Value, await fixture.Store.Accounts.FindAsync("bob@example.org"));
            Assert.Equal(20, (await cli.Messages.ListAsync(alice.Id, "Inbox", null, 1)).Value!.Total);
        }

        var bob = (await fixture.Store.Accounts.AuthenticateAsync("bob@example.org", "pw")).Value!;
        var copies = await fixture.Store.DeliverAsync(TestMessages.Delivery("to bob", new DeliveryTarget(bob.Id, "Inbox", 0)));
        Assert.Equal(1, copies[0].Id);
    }

    [Fact]
    public async Task EnqueueAsync_CancelledBeforeRun_WritesNothing()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        using var cts = new CancellationTokenSource();
        Task<StoreResult<FolderInfo>> create;
        using (var hold = WriterHold.Start(store))
        {
            create = store.Folders.CreateAsync(alice.Id, "Cancelled", cts.Token);
            await cts.CancelAsync();
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => create);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.Folders.CreateAsync(alice.Id, "Cancelled", cts.Token));
        Assert.DoesNotContain(await store.Folders.ListAsync(alice.Id), f => f.Name == "Cancelled");
    }

    [Fact]
    public async Task Batch_TransactionLost_OtherOperationsRunAgainAndCommit()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        Task<IReadOnlyList<DeliveredCopy>> before;
        Task<int> breaker;
        Task<IReadOnlyList<DeliveredCopy>> after;
        using (var hold = WriterHold.Start(store))
        {
            before = store.DeliverAsync(TestMessages.Delivery("before", new DeliveryTarget(alice.Id, "Inbox", 0)));

            // Stands in for an I/O error that makes SQLite roll the whole transaction back.
            breaker = store.Writer.EnqueueAsync<int>(
                context =>
                {
                    context.Session.Execute("ROLLBACK");
                    throw new InvalidOperationException("transaction lost");
                },
                default);
            after = store.DeliverAsync(TestMessages.Delivery("after", new DeliveryTarget(alice.Id, "Inbox", 0)));
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => breaker);
        var ids = new[] { (await before)[0].Id, (await after)[0].Id };
        Assert.Equal(2, Database.Scalar(fixture, "SELECT COUNT(*) FROM messages"));
        Assert.Equal([1L, 2L], ids.Order());
        Assert.Equal("before", (await store.Messages.FetchAsync(alice.Id, "Inbox", ids[0])).Value!.Item.Summary.Subject);
    }

    [Fact]
    public async Task Reads_DuringConcurrentDeliveries_SeeConsistentSnapshots()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        var writes = Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(
            () => store.DeliverAsync(TestMessages.Delivery($"c{i}", new DeliveryTarget(alice.Id, "Inbox", 0))))));

        var reads = 0;
        while (!writes.IsCompleted || reads == 0)
        {
            var page = (await store.Messages.ListAsync(alice.Id, "Inbox", null, 500)).Value!;
            Assert.Equal(page.Total, page.Messages.Count);
            Assert.Equal(page.Messages.Select(m => m.Id).OrderDescending(), page.Messages.Select(m => m.Id));
            reads++;
        }

        await writes;
        Assert.Equal(100, (await store.Messages.ListAsync(alice.Id, "Inbox", null, 1)).Value!.Total);
    }
}
