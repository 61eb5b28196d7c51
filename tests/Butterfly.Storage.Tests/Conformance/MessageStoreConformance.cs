namespace Butterfly.Storage.Tests;

/// <summary>
/// The message store's and the delivery commit's behaviour, the same on every database (src/Butterfly.Storage/README.md, "Contracts").
/// Each derived class runs every test on one database; a difference is a bug in one of them.
/// </summary>
public abstract class MessageStoreConformance
{
    /// <summary>Opens a new, empty store for one test.</summary>
    protected abstract Task<ConformanceFixture> OpenAsync();

    [Fact]
    public async Task DeliverAsync_TwoAccounts_StoresContentOnce()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var carol = await fixture.CreateAccountAsync("carol@example.org");

        await fixture.Store.DeliverAsync(TestMessages.Delivery(
            "once", new DeliveryTarget(bob.Id, "Inbox", 0), new DeliveryTarget(alice.Id, "Sent", MessageFlags.Seen)));
        // The same bytes delivered again later are still stored once.
        await fixture.Store.DeliverAsync(TestMessages.Delivery("once", new DeliveryTarget(carol.Id, "Inbox", 0)));

        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
        Assert.Equal(3, await fixture.ScalarAsync("SELECT COUNT(*) FROM messages"));
        var sent = await fixture.Store.Messages.FetchAsync(alice.Id, "Sent", 1);
        Assert.Equal(MessageFlags.Seen, sent.Value!.Item.Flags);
        Assert.Equal(TestMessages.Bytes("once").Length, sent.Value.Item.Size);
        Assert.Equal(TestMessages.Received, sent.Value.Item.Received);
        Assert.Equal(TestMessages.Summary("once") with { To = [], Cc = [] }, sent.Value.Item.Summary with { To = [], Cc = [] });
    }

    [Fact]
    public async Task DeliverAsync_SlicedMemory_StoresExactBytes()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var bytes = TestMessages.Bytes("slice");
        var padded = new byte[bytes.Length + 10];
        bytes.CopyTo(padded, 5);

        await fixture.Store.DeliverAsync(new DeliveryCommit(TestMessages.Received)
        {
            Copies = [new ContentCopies(padded.AsMemory(5, bytes.Length), ContentSummary.Empty, [new DeliveryTarget(alice.Id, "Inbox", 0)])],
        });

        var fetched = await fixture.Store.Messages.FetchAsync(alice.Id, "Inbox", 1);
        Assert.Equal(bytes, fetched.Value!.Content);
        Assert.Null(fetched.Value.Item.Summary.Subject);
        Assert.Empty(fetched.Value.Item.Summary.To);
    }

    [Fact]
    public async Task CommitAsync_MissingFolderOrAccount_FailsAndStoresNothing()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();

        var missingFolder = await fixture.Store.Deliveries.CommitAsync(TestMessages.Delivery(
            "x", new DeliveryTarget(alice.Id, "Inbox", 0), new DeliveryTarget(alice.Id, "Nope", 0)));
        var missingAccount = await fixture.Store.Deliveries.CommitAsync(TestMessages.Delivery("y", new DeliveryTarget(12345, "Inbox", 0)));
        var invalidFolder = await fixture.Store.Deliveries.CommitAsync(TestMessages.Delivery("z", new DeliveryTarget(alice.Id, "a//b", 0)));

        Assert.Equal((StoreError.FolderNotFound, "No such folder: Nope"), (missingFolder.Error, missingFolder.Detail));
        Assert.Equal((StoreError.AccountNotFound, "No account with id 12345."), (missingAccount.Error, missingAccount.Detail));
        Assert.Equal(StoreError.FolderNotFound, invalidFolder.Error);
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM messages"));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
        Assert.Equal(1, (await fixture.Store.Folders.ListAsync(alice.Id)).Single(f => f.Name == "Inbox").NextId);
    }

    [Fact]
    public async Task AppendAsync_IdsIncreasePerFolderAndAreNotReused()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;

        var a = await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes("a"), TestMessages.Summary("a"), 0, TestMessages.Received);
        var b = await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes("b"), TestMessages.Summary("b"), 0, TestMessages.Received);
        var d = await store.Messages.AppendAsync(alice.Id, "Drafts", TestMessages.Bytes("d"), TestMessages.Summary("d"), MessageFlags.Draft, TestMessages.Received);
        await store.Messages.DeleteAsync(alice.Id, "Inbox", [b.Value!.Id]);
        var c = await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes("c"), TestMessages.Summary("c"), 0, TestMessages.Received);

        Assert.Equal((1L, 2L, 1L, 3L), (a.Value!.Id, b.Value.Id, d.Value!.Id, c.Value!.Id));
        Assert.Equal(StoreError.FolderNotFound, (await store.Messages.AppendAsync(alice.Id, "Nope", TestMessages.Bytes("n"), ContentSummary.Empty, 0, TestMessages.Received)).Error);
    }

    [Fact]
    public async Task MoveAsync_GivesNewIdsInTarget_AllOrNothing()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        await store.Folders.CreateAsync(alice.Id, "Archive");
        await store.Messages.AppendAsync(alice.Id, "Archive", TestMessages.Bytes("old"), TestMessages.Summary("old"), 0, TestMessages.Received);
        for (var i = 0; i < 3; i++)
        {
            await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes($"m{i}"), TestMessages.Summary($"m{i}"), MessageFlags.Flagged, TestMessages.Received);
        }

        var missing = await store.Messages.MoveAsync(alice.Id, "Inbox", [1, 99], "Archive");
        Assert.Equal(StoreError.MessageNotFound, missing.Error);
        Assert.Equal("No such message: 99 in Inbox", missing.Detail);
        Assert.Equal(3, (await store.Messages.ListAsync(alice.Id, "Inbox", null, 10)).Value!.Total);

        var moved = await store.Messages.MoveAsync(alice.Id, "inbox", [3, 1], "Archive");

        Assert.Equal("Archive", moved.Value!.Folder);
        Assert.Equal(new Dictionary<long, long> { [3] = 2, [1] = 3 }, moved.Value.Ids);
        Assert.Equal(StoreError.MessageNotFound, (await store.Messages.FetchAsync(alice.Id, "Inbox", 1)).Error);
        var fetched = await store.Messages.FetchAsync(alice.Id, "Archive", 3);
        Assert.Equal("m0", fetched.Value!.Item.Summary.Subject);
        Assert.Equal(MessageFlags.Flagged, fetched.Value.Item.Flags);
        Assert.Equal(3, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents WHERE subject LIKE 'm%'"));
        var noFolder = await store.Messages.MoveAsync(alice.Id, "Inbox", [2], "Archive/2025");
        Assert.Equal((StoreError.FolderNotFound, "No such folder: Archive/2025"), (noFolder.Error, noFolder.Detail));
    }

    [Fact]
    public async Task MoveAsync_IntoSameFolder_ChangesNothingAndKeepsIds()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        for (var i = 0; i < 2; i++)
        {
            await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes($"m{i}"), TestMessages.Summary($"m{i}"), 0, TestMessages.Received);
        }

        var before = (await store.Folders.ListAsync(alice.Id)).Single(f => f.Name == "Inbox");

        var moved = await store.Messages.MoveAsync(alice.Id, "Inbox", [2, 1], " inbox ");

        Assert.Equal("Inbox", moved.Value!.Folder);
        Assert.Equal(new Dictionary<long, long> { [2] = 2, [1] = 1 }, moved.Value.Ids);
        Assert.Equal(before, (await store.Folders.ListAsync(alice.Id)).Single(f => f.Name == "Inbox"));
        Assert.Equal("m1", (await store.Messages.FetchAsync(alice.Id, "Inbox", 2)).Value!.Item.Summary.Subject);
        var missing = await store.Messages.MoveAsync(alice.Id, "Inbox", [424242], "Inbox");
        Assert.Equal((StoreError.MessageNotFound, "No such message: 424242 in Inbox"), (missing.Error, missing.Detail));
    }

    [Fact]
    public async Task CopyAsync_KeepsSourceSharesContent()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes("c"), TestMessages.Summary("c"), MessageFlags.Seen, TestMessages.Received);

        var copied = await store.Messages.CopyAsync(alice.Id, "Inbox", [1], "Junk");

        Assert.Equal(1, copied.Value!.Ids[1]);
        Assert.True((await store.Messages.FetchAsync(alice.Id, "Inbox", 1)).Ok);
        Assert.Equal(MessageFlags.Seen, (await store.Messages.FetchAsync(alice.Id, "Junk", 1)).Value!.Item.Flags);
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
        Assert.Equal(StoreError.MessageNotFound, (await store.Messages.CopyAsync(alice.Id, "Inbox", [2], "Junk")).Error);
    }

    [Fact]
    public async Task DeleteMessagesAsync_MovesToTrashThenExpungesAndDropsContent()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var store = fixture.Store;
        await store.DeliverAsync(TestMessages.Delivery("shared", new DeliveryTarget(alice.Id, "Inbox", 0), new DeliveryTarget(bob.Id, "Inbox", 0)));
        await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes("own"), TestMessages.Summary("own"), 0, TestMessages.Received);

        var trashed = await store.Messages.DeleteAsync(alice.Id, "Inbox", [1, 2]);

        Assert.Equal(new Dictionary<long, long> { [1] = 1, [2] = 2 }, trashed.Value!.Trashed);
        Assert.Empty(trashed.Value.Expunged);
        Assert.Equal(2, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));

        var expunged = await store.Messages.DeleteAsync(alice.Id, "Trash", [1, 2]);

        Assert.Equal([1L, 2L], expunged.Value!.Expunged);
        Assert.Empty(expunged.Value.Trashed);
        // "own" is gone; "shared" is still referenced by Bob's Inbox.
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
        Assert.Equal(0, (await store.Messages.ListAsync(alice.Id, "Trash", null, 10)).Value!.Total);
        Assert.True((await store.Messages.FetchAsync(bob.Id, "Inbox", 1)).Ok);
        Assert.Equal(4, await fixture.ScalarAsync("SELECT COUNT(*) FROM expunged"));
        Assert.Equal(StoreError.MessageNotFound, (await store.Messages.DeleteAsync(alice.Id, "Trash", [1])).Error);
    }

    [Fact]
    public async Task ChangeFlagsAsync_AddsRemovesAndReportsModSeq()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes("a"), TestMessages.Summary("a"), MessageFlags.Flagged, TestMessages.Received);
        await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes("b"), TestMessages.Summary("b"), MessageFlags.Seen, TestMessages.Received);

        var changed = await store.Messages.ChangeFlagsAsync(alice.Id, "Inbox", [1, 2], MessageFlags.Seen | MessageFlags.Answered, MessageFlags.Flagged);

        var changes = changed.Value!;
        Assert.Equal([1L, 2L], changes.Select(c => c.Id));
        Assert.Equal(MessageFlags.Seen | MessageFlags.Answered, changes[0].Flags);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Answered, changes[1].Flags);
        var item = (await store.Messages.FetchAsync(alice.Id, "Inbox", 1)).Value!.Item;
        Assert.Equal((changes[0].Flags, changes[0].ModSeq), (item.Flags, item.ModSeq));
        var inbox = (await store.Folders.ListAsync(alice.Id)).Single(f => f.Name == "Inbox");
        Assert.Equal((2L, 0L), (inbox.Messages, inbox.Unseen));

        // No change: modseq stays.
        var same = await store.Messages.ChangeFlagsAsync(alice.Id, "Inbox", [1], MessageFlags.Seen, MessageFlags.None);
        Assert.Equal(changes[0].ModSeq, same.Value![0].ModSeq);
        Assert.Equal(StoreError.MessageNotFound, (await store.Messages.ChangeFlagsAsync(alice.Id, "Inbox", [1, 7], MessageFlags.Draft, 0)).Error);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Answered, (await store.Messages.FetchAsync(alice.Id, "Inbox", 1)).Value!.Item.Flags);
    }

    [Fact]
    public async Task ReplaceAsync_DraftOnly()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        await store.Messages.AppendAsync(alice.Id, "Drafts", TestMessages.Bytes("v1"), TestMessages.Summary("v1"), MessageFlags.Draft, TestMessages.Received);
        await store.Messages.AppendAsync(alice.Id, "Drafts", TestMessages.Bytes("final"), TestMessages.Summary("final"), MessageFlags.Seen, TestMessages.Received);

        var replaced = await store.Messages.ReplaceAsync(alice.Id, "Drafts", 1, TestMessages.Bytes("v2"), TestMessages.Summary("v2"), MessageFlags.Draft, TestMessages.Received);

        Assert.Equal(new DeliveredCopy(alice.Id, "Drafts", 3), replaced.Value);
        Assert.Equal(StoreError.MessageNotFound, (await store.Messages.FetchAsync(alice.Id, "Drafts", 1)).Error);
        Assert.Equal("v2", (await store.Messages.FetchAsync(alice.Id, "Drafts", 3)).Value!.Item.Summary.Subject);
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents WHERE subject = 'v1'"));
        Assert.Equal(StoreError.MessageNotDraft, (await store.Messages.ReplaceAsync(alice.Id, "Drafts", 2, TestMessages.Bytes("x"), ContentSummary.Empty, 0, TestMessages.Received)).Error);
        Assert.Equal(StoreError.MessageNotFound, (await store.Messages.ReplaceAsync(alice.Id, "Drafts", 1, TestMessages.Bytes("x"), ContentSummary.Empty, 0, TestMessages.Received)).Error);
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents WHERE subject IS NULL"));
    }

    [Fact]
    public async Task ModSeq_IncreasesOnEveryChange()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        var seen = new List<long>();
        Task<long> AccountModSeqAsync() => fixture.ScalarAsync($"SELECT modseq FROM accounts WHERE id = {alice.Id}");

        seen.Add(await AccountModSeqAsync());
        await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes("a"), TestMessages.Summary("a"), 0, TestMessages.Received);
        seen.Add(await AccountModSeqAsync());
        await store.DeliverAsync(TestMessages.Delivery("b", new DeliveryTarget(alice.Id, "Inbox", 0)));
        seen.Add(await AccountModSeqAsync());
        await store.Messages.ChangeFlagsAsync(alice.Id, "Inbox", [1], MessageFlags.Seen, 0);
        seen.Add(await AccountModSeqAsync());
        await store.Folders.CreateAsync(alice.Id, "X");
        seen.Add(await AccountModSeqAsync());
        await store.Messages.CopyAsync(alice.Id, "Inbox", [1], "X");
        seen.Add(await AccountModSeqAsync());
        await store.Messages.MoveAsync(alice.Id, "Inbox", [2], "X");
        seen.Add(await AccountModSeqAsync());
        await store.Folders.RenameAsync(alice.Id, "X", "Y");
        seen.Add(await AccountModSeqAsync());
        await store.Messages.DeleteAsync(alice.Id, "Y", [1]);
        seen.Add(await AccountModSeqAsync());
        await store.Messages.DeleteAsync(alice.Id, "Trash", [1]);
        seen.Add(await AccountModSeqAsync());
        await store.Folders.DeleteAsync(alice.Id, "Y", recursive: true);
        seen.Add(await AccountModSeqAsync());
        await store.Accounts.SetPasswordAsync(alice.Address, "new");
        seen.Add(await AccountModSeqAsync());

        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i] > seen[i - 1], $"modseq did not grow at step {i}: {string.Join(", ", seen)}");
        }

        // Failed operations change nothing.
        await store.Messages.MoveAsync(alice.Id, "Inbox", [42], "Junk");
        Assert.Equal(seen[^1], await AccountModSeqAsync());
    }

    [Fact]
    public async Task ModSeq_OfMessagesAndFolders_FollowsTheirLastChange()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes("a"), TestMessages.Summary("a"), 0, TestMessages.Received);
        await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes("b"), TestMessages.Summary("b"), 0, TestMessages.Received);
        var before = (await store.Messages.ListAsync(alice.Id, "Inbox", null, 10)).Value!.Messages;

        var flagged = await store.Messages.ChangeFlagsAsync(alice.Id, "Inbox", [1], MessageFlags.Flagged, 0);

        var after = (await store.Messages.ListAsync(alice.Id, "Inbox", null, 10)).Value!.Messages;
        Assert.Equal(before.Single(m => m.Id == 2).ModSeq, after.Single(m => m.Id == 2).ModSeq);
        Assert.True(after.Single(m => m.Id == 1).ModSeq > before.Single(m => m.Id == 2).ModSeq);
        Assert.Equal(flagged.Value![0].ModSeq, (await store.Folders.ListAsync(alice.Id)).Single(f => f.Name == "Inbox").ModSeq);
    }

    [Fact]
    public async Task ListMessagesAsync_PagesNewestFirst()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        for (var i = 1; i <= 7; i++)
        {
            await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes($"m{i}"), TestMessages.Summary($"m{i}"), i % 2 == 0 ? MessageFlags.Seen : 0, TestMessages.Received);
        }

        var pages = new List<MessagePage>();
        long? before = null;
        do
        {
            var page = (await store.Messages.ListAsync(alice.Id, "INBOX", before, 3)).Value!;
            pages.Add(page);
            before = page.Next;
        }
        while (before is not null);

        Assert.Equal([[7L, 6L, 5L], [4L, 3L, 2L], [1L]], pages.Select(p => p.Messages.Select(m => m.Id).ToArray()));
        Assert.All(pages, p => Assert.Equal((7L, "Inbox"), (p.Total, p.Folder)));
        Assert.Equal([5L, 2L, null], pages.Select(p => p.Next));
        Assert.Equal("m7", pages[0].Messages[0].Summary.Subject);
        var exact = (await store.Messages.ListAsync(alice.Id, "Inbox", 4, 3)).Value!;
        Assert.Equal([3L, 2L, 1L], exact.Messages.Select(m => m.Id));
        Assert.Null(exact.Next);
        var inbox = (await store.Folders.ListAsync(alice.Id)).Single(f => f.Name == "Inbox");
        Assert.Equal((7L, 4L, 8L), (inbox.Messages, inbox.Unseen, inbox.NextId));
    }

    [Fact]
    public async Task Messages_OfAnotherAccount_AreUnreachable()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var store = fixture.Store;
        await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes("secret"), TestMessages.Summary("secret"), 0, TestMessages.Received);

        Assert.Equal(StoreError.MessageNotFound, (await store.Messages.FetchAsync(bob.Id, "Inbox", 1)).Error);
        Assert.Equal(0, (await store.Messages.ListAsync(bob.Id, "Inbox", null, 10)).Value!.Total);
        Assert.Equal(StoreError.MessageNotFound, (await store.Messages.MoveAsync(bob.Id, "Inbox", [1], "Junk")).Error);
        Assert.Equal(StoreError.MessageNotFound, (await store.Messages.CopyAsync(bob.Id, "Inbox", [1], "Junk")).Error);
        Assert.Equal(StoreError.MessageNotFound, (await store.Messages.DeleteAsync(bob.Id, "Inbox", [1])).Error);
        Assert.Equal(StoreError.MessageNotFound, (await store.Messages.ChangeFlagsAsync(bob.Id, "Inbox", [1], MessageFlags.Seen, 0)).Error);
        Assert.Equal(StoreError.FolderNotFound, (await store.Messages.AppendAsync(999, "Inbox", TestMessages.Bytes("x"), ContentSummary.Empty, 0, TestMessages.Received)).Error);
        Assert.True((await store.Messages.FetchAsync(alice.Id, "Inbox", 1)).Ok);
    }

    [Fact]
    public async Task ListMessagesAsync_BadArguments()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Store.Messages.ListAsync(alice.Id, "Inbox", null, 0));
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.Messages.ListAsync(alice.Id, "A//B", null, 10)).Error);
        Assert.Empty((await fixture.Store.Messages.ListAsync(alice.Id, "Inbox", 0, 10)).Value!.Messages);
        Assert.Empty(await fixture.Store.DeliverAsync(TestMessages.Delivery("none")));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
    }

    [Fact]
    public async Task ImportAsync_SameBytesTwice_SecondIsTheFirstCopy()
    {
        await using var fixture = await OpenAsync();
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
        await using var fixture = await OpenAsync();
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
        await using var fixture = await OpenAsync();
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
