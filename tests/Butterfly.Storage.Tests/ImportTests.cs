namespace Butterfly.Storage.Tests;

/// <summary>MessageStore.ImportAsync (duplicates, quota) and EmptyFolderAsync; the fixture checks counters, usage and contents after each test.</summary>
public sealed class ImportTests
{
    [Fact]
    public async Task ImportAsync_SameBytesTwice_SecondIsTheFirstCopy()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        var bytes = TestMessages.Bytes("one");

        var first = await fixture.Store.Messages.ImportAsync(alice.Id, "Inbox", bytes, TestMessages.Summary("one"), MessageFlags.Seen, TestMessages.Received);
        var second = await fixture.Store.Messages.ImportAsync(alice.Id, "Inbox", bytes, TestMessages.Summary("one"), MessageFlags.None, TestMessages.Received);
        var elsewhere = await fixture.Store.Messages.ImportAsync(alice.Id, "Trash", bytes, TestMessages.Summary("one"), MessageFlags.None, TestMessages.Received);

        Assert.Equal(new ImportedCopy("Inbox", 1, false), first.Value);
        Assert.Equal(new ImportedCopy("Inbox", 1, true), second.Value);
        Assert.Equal(new ImportedCopy("Trash", 1, false), elsewhere.Value);
        var listed = (await fixture.Store.Messages.ListAsync(alice.Id, "Inbox", null, 10)).Value!;
        Assert.Equal(MessageFlags.Seen, Assert.Single(listed.Messages).Flags);
        Assert.Equal(TestMessages.Received, listed.Messages[0].Received);
    }

    [Fact]
    public async Task ImportAsync_PastTheQuota_RefusedAndNothingStored()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        var size = TestMessages.Bytes("m1").Length;
        await fixture.Store.Quotas.SetAsync("alice@example.org", QuotaSetting.Account, size * 2);

        var results = new List<StoreResult<ImportedCopy>>();
        foreach (var subject in new[] { "m1", "m2", "m3" })
        {
            results.Add(await fixture.Store.Messages.ImportAsync(alice.Id, "Inbox", TestMessages.Bytes(subject), TestMessages.Summary(subject), MessageFlags.None, TestMessages.Received));
        }

        Assert.True(results[0].Ok && results[1].Ok);
        Assert.Equal(StoreError.QuotaExceeded, results[2].Error);
        Assert.Contains("over its storage quota", results[2].Detail, StringComparison.Ordinal);
        Assert.Equal(2 * size, (await fixture.Store.Quotas.GetAsync(alice.Id))!.Usage);
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.Messages.ImportAsync(alice.Id, "Nowhere", TestMessages.Bytes("x"), TestMessages.Summary("x"), MessageFlags.None, TestMessages.Received)).Error);
    }

    [Fact]
    public async Task EmptyFolderAsync_FolderWithMessages_ExpungesAllAndTheirContents()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await fixture.Store.DeliverAsync(TestMessages.Delivery("shared", new DeliveryTarget(alice.Id, "Trash", 0), new DeliveryTarget(bob.Id, "Trash", 0)));
        await fixture.Store.DeliverAsync(TestMessages.Delivery("alone", new DeliveryTarget(alice.Id, "Trash", 0)));
        await fixture.Store.DeliverAsync(TestMessages.Delivery("kept", new DeliveryTarget(alice.Id, "Inbox", 0)));

        var emptied = await fixture.Store.Messages.EmptyFolderAsync(alice.Id, "Trash");

        Assert.Equal(new FolderEmptied("Trash", 2), emptied.Value);
        Assert.Empty((await fixture.Store.Messages.ListAsync(alice.Id, "Trash", null, 10)).Value!.Messages);
        Assert.Single((await fixture.Store.Messages.ListAsync(alice.Id, "Inbox", null, 10)).Value!.Messages);
        Assert.Single((await fixture.Store.Messages.ListAsync(bob.Id, "Trash", null, 10)).Value!.Messages);
        Assert.Equal(TestMessages.Bytes("kept").Length, (await fixture.Store.Quotas.GetAsync(alice.Id))!.Usage);
        Assert.Equal(new FolderEmptied("Trash", 0), (await fixture.Store.Messages.EmptyFolderAsync(alice.Id, "Trash")).Value);
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.Messages.EmptyFolderAsync(bob.Id, "Nowhere")).Error);
    }
}
