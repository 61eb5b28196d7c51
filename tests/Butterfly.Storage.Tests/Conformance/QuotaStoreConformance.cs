namespace Butterfly.Storage.Tests;

/// <summary>
/// The quota store's behaviour (usage kept in the transaction, quota settings, the 90% warning), the same on every database (src/Butterfly.Storage/README.md, "Contracts").
/// Each derived class runs every test on one database; a difference is a bug in one of them.
/// </summary>
public abstract class QuotaStoreConformance
{
    /// <summary>Opens a new, empty store for one test.</summary>
    protected abstract Task<ConformanceFixture> OpenAsync();

    [Fact]
    public async Task Usage_DeliverCopyMoveDeleteFolderDelete_CountsEveryCopyInTheSameTransaction()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var size = TestMessages.Bytes("one").Length;

        // One content, two accounts: each account's folders refer to it, so each counts it.
        await fixture.Store.DeliverAsync(TestMessages.Delivery("one", new DeliveryTarget(alice.Id, "Inbox", 0), new DeliveryTarget(bob.Id, "Inbox", 0)));
        Assert.Equal(size, (await fixture.Store.Quotas.GetAsync(alice.Id))!.Usage);
        Assert.Equal(size, (await fixture.Store.Quotas.GetAsync(bob.Id))!.Usage);

        await fixture.Store.Folders.CreateAsync(alice.Id, "Archive");
        Assert.True((await fixture.Store.Messages.CopyAsync(alice.Id, "Inbox", [1], "Archive")).Ok);
        Assert.Equal(2 * size, (await fixture.Store.Quotas.GetAsync(alice.Id))!.Usage);
        Assert.True((await fixture.Store.Messages.MoveAsync(alice.Id, "Inbox", [1], "Trash")).Ok);
        Assert.Equal(2 * size, (await fixture.Store.Quotas.GetAsync(alice.Id))!.Usage);
        Assert.True((await fixture.Store.Folders.DeleteAsync(alice.Id, "Archive", recursive: true)).Ok);
        Assert.Equal(size, (await fixture.Store.Quotas.GetAsync(alice.Id))!.Usage);
        Assert.True((await fixture.Store.Messages.DeleteAsync(alice.Id, "Trash", [1])).Ok);
        Assert.Equal(0, (await fixture.Store.Quotas.GetAsync(alice.Id))!.Usage);
        Assert.Equal(size, (await fixture.Store.Quotas.GetAsync(bob.Id))!.Usage);
    }

    [Fact]
    public async Task SetAsync_AccountNoneDefault_StateSaysWhich()
    {
        await using var fixture = await OpenAsync();
        await fixture.CreateAccountAsync("alice@example.org");
        var quotas = fixture.Store.Quotas;

        Assert.Equal((null, QuotaSetting.Default), Shape(await quotas.GetAsync("ALICE@example.org")));
        Assert.Equal((1000L, QuotaSetting.Account), Shape(await quotas.SetAsync("alice@example.org", QuotaSetting.Account, 1000)));
        Assert.Equal((1000L, QuotaSetting.Account), Shape(await quotas.GetAsync("alice@example.org")));
        Assert.Equal((null, QuotaSetting.Unlimited), Shape(await quotas.SetAsync("alice@example.org", QuotaSetting.Unlimited)));
        Assert.Equal((null, QuotaSetting.Default), Shape(await quotas.SetAsync("alice@example.org", QuotaSetting.Default)));
        Assert.Equal(StoreError.AccountNotFound, (await quotas.SetAsync("nobody@example.org", QuotaSetting.Account, 5)).Error);

        static (long?, QuotaSetting) Shape(StoreResult<QuotaState> result) => (result.Value!.Limit, result.Value.Setting);
    }

    [Fact]
    public async Task CommitAsync_CrossingNinetyPercent_ReportsTheAccountOnce()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var size = TestMessages.Bytes("m1").Length;
        await fixture.Store.Quotas.SetAsync("alice@example.org", QuotaSetting.Account, (long)(size * 2.1));

        var first = await fixture.Store.Deliveries.CommitAsync(TestMessages.Delivery("m1", new DeliveryTarget(alice.Id, "Inbox", 0)));
        var second = await fixture.Store.Deliveries.CommitAsync(TestMessages.Delivery("m2", new DeliveryTarget(alice.Id, "Inbox", 0)));
        var third = await fixture.Store.Deliveries.CommitAsync(TestMessages.Delivery("m3", new DeliveryTarget(alice.Id, "Inbox", 0)));

        Assert.Empty(first.Value!.QuotaWarnings);
        var warning = Assert.Single(second.Value!.QuotaWarnings);
        Assert.Equal((alice.Id, 2L * size), (warning.AccountId, warning.Usage));
        Assert.True(warning.NearlyFull);

        // Above 90% already: no second warning (the store itself does not refuse; the pipeline checks before).
        Assert.Empty(third.Value!.QuotaWarnings);
    }
}
