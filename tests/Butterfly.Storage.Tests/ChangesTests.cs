namespace Butterfly.Storage.Tests;

public sealed class ChangesTests
{
    [Fact]
    public async Task GetChangesAsync_ReportsChangedAndExpungedSinceModSeq()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        for (var i = 0; i < 4; i++)
        {
            await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes($"m{i}"), TestMessages.Summary($"m{i}"), 0, TestMessages.Received);
        }

        var all = (await store.Messages.GetChangesAsync(alice.Id, "Inbox", 0)).Value!;
        Assert.Equal([1L, 2L, 3L, 4L], all.Changed.Select(m => m.Id));
        Assert.Empty(all.Expunged);

        await store.Messages.ChangeFlagsAsync(alice.Id, "Inbox", [2], MessageFlags.Seen, 0);
        await store.Messages.MoveAsync(alice.Id, "Inbox", [3], "Junk");
        await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes("new"), TestMessages.Summary("new"), 0, TestMessages.Received);

        var since = (await store.Messages.GetChangesAsync(alice.Id, "INBOX", all.ModSeq)).Value!;

        Assert.Equal([2L, 5L], since.Changed.Select(m => m.Id));
        Assert.Equal(MessageFlags.Seen, since.Changed[0].Flags);
        Assert.Equal([3L], since.Expunged);
        Assert.True(since.ModSeq > all.ModSeq);
        var none = (await store.Messages.GetChangesAsync(alice.Id, "Inbox", since.ModSeq)).Value!;
        Assert.Empty(none.Changed);
        Assert.Empty(none.Expunged);
        Assert.Equal(since.ModSeq, none.ModSeq);
        Assert.Equal(StoreError.FolderNotFound, (await store.Messages.GetChangesAsync(alice.Id, "Nope", 0)).Error);
    }
}
