using System.Collections.Concurrent;

namespace Butterfly.Storage.Tests;

/// <summary>
/// "What changed since a state" and its retention, the same on every database (src/Butterfly.Storage/README.md, "Contracts").
/// Each derived class runs every test on one database; a difference is a bug in one of them.
/// </summary>
public abstract class ChangeStoreConformance
{
    /// <summary>Opens a new, empty store for one test.</summary>
    protected abstract Task<ConformanceFixture> OpenAsync();

    [Fact]
    public async Task SinceAsync_AfterAddFlagMoveAndExpunge_ReportsCreatedChangedAndRemoved()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        await AppendAsync(store.Messages, alice.Id, "old1");
        await AppendAsync(store.Messages, alice.Id, "old2");
        await AppendAsync(store.Messages, alice.Id, "old3");
        var since = (await store.Changes.StateAsync(alice.Id))!.Value;

        await store.Messages.ChangeFlagsAsync(alice.Id, "Inbox", [1], MessageFlags.Seen, 0);
        await store.Messages.MoveAsync(alice.Id, "Inbox", [2], "Junk");
        await AppendAsync(store.Messages, alice.Id, "new");
        await store.Messages.DeleteAsync(alice.Id, "Inbox", [3]);
        await store.Messages.DeleteAsync(alice.Id, "Trash", [1]);

        var changes = (await store.Changes.SinceAsync(alice.Id, since, null, 100)).Value!;

        Assert.Equal(["Inbox/1"], changes.Changed.Select(Key));
        Assert.Equal(MessageFlags.Seen, changes.Changed[0].Flags);
        Assert.Equal(["Junk/1", "Inbox/4"], changes.Created.Select(Key));
        Assert.Equal("new", changes.Created[1].Summary.Subject);
        Assert.Equal(["Inbox/2>Junk/1", "Inbox/3>Trash/1", "Trash/1"], changes.Removed.Select(r => r.MovedTo is null ? $"{r.Folder}/{r.Id}" : $"{r.Folder}/{r.Id}>{r.MovedTo}/{r.MovedToId}"));
        Assert.False(changes.More);
        Assert.Equal(await store.Changes.StateAsync(alice.Id), changes.State);

        var inbox = (await store.Changes.SinceAsync(alice.Id, since, "inbox", 100)).Value!;
        Assert.Equal(["Inbox/4"], inbox.Created.Select(Key));
        Assert.Equal(["Inbox/2", "Inbox/3"], inbox.Removed.Select(r => $"{r.Folder}/{r.Id}"));
        Assert.Equal(StoreError.FolderNotFound, (await store.Changes.SinceAsync(alice.Id, since, "Nope", 100)).Error);
    }

    [Fact]
    public async Task SinceAsync_FolderCreatedRenamedDeleted_ReportsThemInOrder()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        var since = (await store.Changes.StateAsync(alice.Id))!.Value;

        await store.Folders.CreateAsync(alice.Id, "Work/Projects");
        await store.Folders.RenameAsync(alice.Id, "Work", "Old");
        await store.Folders.DeleteAsync(alice.Id, "Old", recursive: true);

        var changes = (await store.Changes.SinceAsync(alice.Id, since, null, 100)).Value!;

        Assert.Equal(
            ["Created Work", "Created Work/Projects", "Renamed Work>Old", "Renamed Work/Projects>Old/Projects", "Deleted Old", "Deleted Old/Projects"],
            changes.Folders.Select(f => f.OldName is null ? $"{f.Kind} {f.Name}" : $"{f.Kind} {f.OldName}>{f.Name}"));
    }

    [Fact]
    public async Task SinceAsync_PagedBelowOneCommandsSize_NeverSplitsAStateAndEndsWhereAListingDoes()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        var since = (await store.Changes.StateAsync(alice.Id))!.Value;
        for (var i = 0; i < 20; i++)
        {
            await AppendAsync(store.Messages, alice.Id, $"m{i}");
        }

        await store.Messages.MoveAsync(alice.Id, "Inbox", [.. Enumerable.Range(1, 12).Select(i => (long)i)], "Junk");
        await store.Messages.ChangeFlagsAsync(alice.Id, "Junk", [1, 2], MessageFlags.Flagged, 0);

        var view = new HashSet<string>();
        var state = since;
        var pages = 0;
        while (true)
        {
            var page = (await store.Changes.SinceAsync(alice.Id, state, null, 5)).Value!;
            pages++;
            var states = page.Created.Concat(page.Changed).Select(m => m.ModSeq).Concat(page.Removed.Select(r => r.ModSeq)).ToList();
            Assert.All(states, s => Assert.InRange(s, state + 1, page.State));
            foreach (var removed in page.Removed)
            {
                view.Remove($"{removed.Folder}/{removed.Id}");
            }

            foreach (var message in page.Created.Concat(page.Changed))
            {
                view.Add(Key(message));
            }

            state = page.State;
            if (!page.More)
            {
                break;
            }
        }

        var listing = new HashSet<string>();
        foreach (var folder in new[] { "Inbox", "Junk" })
        {
            listing.UnionWith((await store.Messages.ListAsync(alice.Id, folder, null, 100)).Value!.Messages.Select(Key));
        }

        Assert.Equal(listing.Order(), view.Order());
        Assert.Equal(4, pages); // 5 appends; 3 appends (the move is not split); the move whole (22 changes); the flags.
        Assert.Equal(await store.Changes.StateAsync(alice.Id), state);
    }

    [Fact]
    public async Task PruneAsync_RecordsOlderThanCutoff_OlderStatesAreTooOld()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        var start = (await store.Changes.StateAsync(alice.Id))!.Value;
        await AppendAsync(store.Messages, alice.Id, "a");
        await store.Messages.DeleteAsync(alice.Id, "Inbox", [1]);
        var afterDelete = (await store.Changes.StateAsync(alice.Id))!.Value;
        Assert.True((await store.Changes.SinceAsync(alice.Id, start, null, 100)).Ok);

        var removed = await store.Changes.PruneAsync(DateTimeOffset.UtcNow.AddMinutes(1));

        Assert.Equal(1, removed);
        var tooOld = await store.Changes.SinceAsync(alice.Id, start, null, 100);
        Assert.Equal(StoreError.StateTooOld, tooOld.Error);
        Assert.Contains($"from state {afterDelete}", tooOld.Detail, StringComparison.Ordinal);
        Assert.True((await store.Changes.SinceAsync(alice.Id, afterDelete, null, 100)).Ok);
        Assert.Equal(StoreError.StateTooOld, (await store.Changes.SinceAsync(alice.Id, afterDelete + 5, null, 100)).Error);
    }

    [Fact]
    public async Task PruneAsync_RecentRecords_KeepsThemAndTheFloor()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var store = fixture.Store;
        await AppendAsync(store.Messages, alice.Id, "a");
        await store.Messages.DeleteAsync(alice.Id, "Inbox", [1]);

        Assert.Equal(0, await store.Changes.PruneAsync(DateTimeOffset.UtcNow.AddDays(-1)));
        Assert.True((await store.Changes.SinceAsync(alice.Id, 0, null, 100)).Ok);
    }

    private static string Key(MessageItem item) => $"{item.Folder}/{item.Id}";

    internal static async Task AppendAsync(IMessageStore messages, long accountId, string subject)
        => Assert.True((await messages.AppendAsync(accountId, "Inbox", TestMessages.Bytes(subject), TestMessages.Summary(subject), 0, TestMessages.Received)).Ok);

    [Fact]
    public async Task SinceAsync_OneFolder_ReportsChangedAndExpungedSinceModSeq()
    {
        await using var fixture = await OpenAsync();
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
