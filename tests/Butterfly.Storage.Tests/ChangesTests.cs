namespace Butterfly.Storage.Tests;

public sealed class ChangesTests
{
    [Fact]
    public async Task SinceAsync_OneFolder_ReportsChangedAndExpungedSinceModSeq()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        for (var i = 0; i < 4; i++)
        {
            await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes($"m{i}"), TestMessages.Summary($"m{i}"), 0, TestMessages.Received);
        }

        var all = (await store.Changes.SinceAsync(alice.Id, 0, "Inbox", 100)).Value!;
        Assert.Equal([1L, 2L, 3L, 4L], all.Created.Select(m => m.Id));
        Assert.Empty(all.Removed);

        await store.Messages.ChangeFlagsAsync(alice.Id, "Inbox", [2], MessageFlags.Seen, 0);
        await store.Messages.MoveAsync(alice.Id, "Inbox", [3], "Junk");
        await store.Messages.AppendAsync(alice.Id, "Inbox", TestMessages.Bytes("new"), TestMessages.Summary("new"), 0, TestMessages.Received);

        var since = (await store.Changes.SinceAsync(alice.Id, all.State, "INBOX", 100)).Value!;

        Assert.Equal([2L], since.Changed.Select(m => m.Id));
        Assert.Equal(MessageFlags.Seen, since.Changed[0].Flags);
        Assert.Equal([5L], since.Created.Select(m => m.Id));
        Assert.Equal([3L], since.Removed.Select(r => r.Id));
        Assert.True(since.State > all.State);
        var none = (await store.Changes.SinceAsync(alice.Id, since.State, "Inbox", 100)).Value!;
        Assert.Empty(none.Changed);
        Assert.Empty(none.Removed);
        Assert.Equal(since.State, none.State);
        Assert.Equal(StoreError.FolderNotFound, (await store.Changes.SinceAsync(alice.Id, 0, "Nope", 100)).Error);
    }
}
