using Butterfly.Storage.Internal;

namespace Butterfly.Storage.Tests;

/// <summary>Indexing after the commit (SearchBacklog): searches wait for it, nothing is lost or indexed twice.</summary>
public sealed class SearchBacklogTests
{
    [Fact]
    public async Task DisposeAsync_BacklogLeft_IndexedBeforeTheStoreCloses()
    {
        var fixture = await StoreFixture.CreateAsync();
        await using (fixture)
        {
            var alice = await fixture.CreateAccountAsync("alice@example.org");
            await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
                fixture.Store.DeliverAsync(WithBody($"closing{i}", new DeliveryTarget(alice.Id, "Inbox", MessageFlags.None)))));
            await fixture.ReopenAsync();

            Assert.Equal(0, Database.Scalar(fixture, "SELECT COUNT(*) FROM search_pending"));
            Assert.Equal(0, await fixture.Store.Search.PendingCountAsync());
            Assert.Single((await SearchStoreTests.SearchAsync(fixture, alice.Id, "closing49")).Messages);
        }
    }

    [Fact]
    public async Task WaitIndexedAsync_UntilTheBatchCommits_NotComplete()
    {
        var indexing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new List<int>();
        var backlog = new SearchBacklog(entries =>
        {
            lock (batches)
            {
                batches.Add(entries.Count);
            }

            return indexing.Task;
        });
        backlog.Start();
        try
        {
            Assert.True(await backlog.WaitIndexedAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
            backlog.Add([Entry(1, 100), Entry(2, 100)]);
            var waiting = backlog.WaitIndexedAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.False(waiting.IsCompleted);

            indexing.SetResult();
            Assert.True(await waiting);
            Assert.Equal(0, backlog.Count);
            Assert.Equal(1, backlog.FirstId);
        }
        finally
        {
            await backlog.DisposeAsync();
        }
    }

    [Fact]
    public async Task WaitForRoomAsync_BacklogOverItsBound_WaitsForTheIndex()
    {
        var indexing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var backlog = new SearchBacklog(_ => indexing.Task);
        backlog.Start();
        try
        {
            Assert.True(backlog.WaitForRoomAsync(CancellationToken.None).IsCompleted);

            // Two entries of more than half the bound each: over it.
            var half = (int)(SearchBacklog.MaxBytes / 4) + 1;
            backlog.Add([Entry(1, half), Entry(2, half)]);
            var room = backlog.WaitForRoomAsync(CancellationToken.None);
            Assert.False(room.IsCompleted);

            indexing.SetResult();
            await room;
            Assert.True(backlog.WaitForRoomAsync(CancellationToken.None).IsCompleted);
        }
        finally
        {
            await backlog.DisposeAsync();
        }
    }

    private static IndexEntry Entry(long id, int bodyChars) =>
        new(id, new byte[32], TestMessages.Summary($"s{id}") with { Text = new ContentText(new string('a', bodyChars), [], null, []) });

    private static DeliveryCommit WithBody(string word, params DeliveryTarget[] targets) => new(TestMessages.Received)
    {
        Copies =
        [
            new ContentCopies(
                TestMessages.Bytes(word),
                TestMessages.Summary(word) with { Text = new ContentText($"The body says {word}.", [], null, []) },
                targets),
        ],
    };
}
