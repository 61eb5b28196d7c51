namespace Butterfly.Storage.Tests;

/// <summary>
/// The promises that matter once several writers share one database (two stores on it stand for two
/// daemons): per-folder ids dense and increasing, one modification per change, exactly-once submission
/// ids, no deadlock between crossed deliveries. The same on every database.
/// </summary>
public abstract class ConcurrencyConformance
{
    private const int PerStore = 16;

    /// <summary>Opens a new, empty store for one test.</summary>
    protected abstract Task<ConformanceFixture> OpenAsync();

    [Fact]
    public async Task CommitAsync_ConcurrentFromTwoStores_IdsDenseIncreasingAndOneModSeqEach()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var (second, handle) = await fixture.OpenSecondAsync();
        await using var secondHandle = handle;
        var state = await fixture.ScalarAsync($"SELECT modseq FROM accounts WHERE id = {alice.Id}");

        var deliveries = Enumerable.Range(0, 2 * PerStore).Select(i => Task.Run(() =>
            (i % 2 == 0 ? fixture.Store : second).DeliverAsync(TestMessages.Delivery($"m{i}", new DeliveryTarget(alice.Id, "Inbox", 0)))));
        var copies = (await Task.WhenAll(deliveries)).SelectMany(c => c).ToList();

        Assert.Equal(Enumerable.Range(1, 2 * PerStore).Select(i => (long)i), copies.Select(c => c.Id).Order());
        var page = (await second.Messages.ListAsync(alice.Id, "Inbox", null, 100)).Value!;
        Assert.Equal(Enumerable.Range(1, 2 * PerStore).Select(i => (long)i).Reverse(), page.Messages.Select(m => m.Id));
        Assert.Equal(page.Messages.Count, page.Messages.Select(m => m.ModSeq).Distinct().Count());
        var inbox = (await fixture.Store.Folders.ListAsync(alice.Id)).Single(f => f.Name == "Inbox");
        Assert.Equal((2L * PerStore, 2L * PerStore, 2L * PerStore + 1), (inbox.Messages, inbox.Unseen, inbox.NextId));
        Assert.Equal(state + (2 * PerStore), await fixture.ScalarAsync($"SELECT modseq FROM accounts WHERE id = {alice.Id}"));
    }

    [Fact]
    public async Task AppendAsync_OneSubmissionIdRacingOnTwoStores_StoresOnce()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var (second, handle) = await fixture.OpenSecondAsync();
        await using var secondHandle = handle;
        var submission = new SubmissionRecord(alice.Id, "retry-1", "ok");

        var appends = Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? fixture.Store : second).Messages.AppendAsync(
            alice.Id, "Sent", TestMessages.Bytes("once"), TestMessages.Summary("once"), MessageFlags.Seen, TestMessages.Received, submission)));
        var results = await Task.WhenAll(appends);

        Assert.All(results, r => Assert.True(r.Ok, r.Detail));
        Assert.Single(results.Select(r => r.Value!).Distinct());
        Assert.Equal(1, (await fixture.Store.Messages.ListAsync(alice.Id, "Sent", null, 10)).Value!.Total);
    }

    [Fact]
    public async Task CommitAsync_CrossedTargetsOnTwoStores_AllCommit()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var (second, handle) = await fixture.OpenSecondAsync();
        await using var secondHandle = handle;

        // Half the commits name alice first, half bob first: a store that locked accounts in target order would deadlock.
        var commits = Enumerable.Range(0, 2 * PerStore).Select(i => Task.Run(() => i % 2 == 0
            ? fixture.Store.DeliverAsync(TestMessages.Delivery($"x{i}", new DeliveryTarget(alice.Id, "Inbox", 0), new DeliveryTarget(bob.Id, "Inbox", 0)))
            : second.DeliverAsync(TestMessages.Delivery($"x{i}", new DeliveryTarget(bob.Id, "Inbox", 0), new DeliveryTarget(alice.Id, "Inbox", 0)))));
        await Task.WhenAll(commits);

        Assert.Equal(2 * PerStore, (await fixture.Store.Messages.ListAsync(alice.Id, "Inbox", null, 1)).Value!.Total);
        Assert.Equal(2 * PerStore, (await second.Messages.ListAsync(bob.Id, "Inbox", null, 1)).Value!.Total);
        Assert.Equal(2 * PerStore, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
    }

    [Fact]
    public async Task CreateAsync_OneFolderRacingOnTwoStores_ExactlyOneWins()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var (second, handle) = await fixture.OpenSecondAsync();
        await using var secondHandle = handle;

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(
            () => (i % 2 == 0 ? fixture.Store : second).Folders.CreateAsync(alice.Id, "Projects/Butterfly"))));

        Assert.Single(results, r => r.Ok);
        Assert.Equal(7, results.Count(r => r.Error == StoreError.FolderExists));
        Assert.Equal(2, await fixture.ScalarAsync($"SELECT COUNT(*) FROM folders WHERE account_id = {alice.Id} AND name LIKE 'Projects%'"));
    }
}
