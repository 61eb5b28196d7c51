namespace Butterfly.Storage.Tests;

/// <summary>
/// Exactly-once client submissions (the submission store and the commits that write its records), the same on every database (src/Butterfly.Storage/README.md, "Contracts").
/// Each derived class runs every test on one database; a difference is a bug in one of them.
/// </summary>
public abstract class SubmissionStoreConformance
{
    /// <summary>Opens a new, empty store for one test.</summary>
    protected abstract Task<ConformanceFixture> OpenAsync();

    [Fact]
    public async Task CommitAsync_SameSubmissionTwice_SecondStoresNothingAndGetsTheFirstAnswer()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");

        var first = await fixture.Store.Deliveries.CommitAsync(Send("hello", alice.Id, bob.Id, "id-1", "answer-1"));
        var second = await fixture.Store.Deliveries.CommitAsync(Send("hello again", alice.Id, bob.Id, "id-1", "answer-2"));

        Assert.False(first.Value!.IsDuplicate);
        Assert.True(second.Value!.IsDuplicate);
        Assert.Empty(second.Value.Copies);
        var answer = second.Value.ExistingSubmission!;
        Assert.Equal("answer-1", answer.Result);
        Assert.Equal(first.Value.Copies[1], answer.Copy);
        Assert.Equal(2, await fixture.ScalarAsync("SELECT COUNT(*) FROM messages"));
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
        Assert.Equal(answer, await fixture.Store.Submissions.FindAsync(alice.Id, "id-1"));
    }

    [Fact]
    public async Task CommitAsync_SameIdFromTwoAccounts_BothStored()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var carol = await fixture.CreateAccountAsync("carol@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");

        var fromAlice = await fixture.Store.Deliveries.CommitAsync(Send("a", alice.Id, bob.Id, "shared", "alice"));
        var fromCarol = await fixture.Store.Deliveries.CommitAsync(Send("c", carol.Id, bob.Id, "shared", "carol"));

        Assert.False(fromAlice.Value!.IsDuplicate);
        Assert.False(fromCarol.Value!.IsDuplicate);
        Assert.Equal(4, await fixture.ScalarAsync("SELECT COUNT(*) FROM messages"));
        Assert.Equal("alice", (await fixture.Store.Submissions.FindAsync(alice.Id, "shared"))!.Result);
        Assert.Equal("carol", (await fixture.Store.Submissions.FindAsync(carol.Id, "shared"))!.Result);
    }

    [Fact]
    public async Task CommitAsync_FailedCommit_RecordsNothing()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");

        var failed = await fixture.Store.Deliveries.CommitAsync(new DeliveryCommit(TestMessages.Received)
        {
            Copies = [new ContentCopies(TestMessages.Bytes("x"), TestMessages.Summary("x"), [new DeliveryTarget(alice.Id, "Nope", 0)])],
            Submission = new SubmissionRecord(alice.Id, "failed", "{}"),
        });

        Assert.Equal(StoreError.FolderNotFound, failed.Error);
        Assert.Null(await fixture.Store.Submissions.FindAsync(alice.Id, "failed"));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM submissions"));
    }

    [Fact]
    public async Task AppendAsync_SameSubmissionTwice_OneCopyAndTheFirstCopyReturned()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var record = new SubmissionRecord(alice.Id, "store-1", "");

        var first = await fixture.Store.Messages.AppendAsync(alice.Id, "Drafts", TestMessages.Bytes("d"), TestMessages.Summary("d"), MessageFlags.Draft, TestMessages.Received, record);
        var second = await fixture.Store.Messages.AppendAsync(alice.Id, "Drafts", TestMessages.Bytes("d2"), TestMessages.Summary("d2"), MessageFlags.Draft, TestMessages.Received, record);

        Assert.Equal(first.Value, second.Value);
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM messages"));
    }

    [Fact]
    public async Task Record_SurvivesReopen()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var first = await fixture.Store.Deliveries.CommitAsync(Send("durable", alice.Id, bob.Id, "durable", "answer"));

        await fixture.ReopenAsync();
        var again = await fixture.Store.Deliveries.CommitAsync(Send("durable", alice.Id, bob.Id, "durable", "other"));

        Assert.Equal(first.Value!.Copies[1], again.Value!.ExistingSubmission!.Copy);
        Assert.Equal(2, await fixture.ScalarAsync("SELECT COUNT(*) FROM messages"));
    }

    [Fact]
    public async Task PruneAsync_RemovesOnlyRecordsOlderThanTheCutOff()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await fixture.Store.Deliveries.CommitAsync(Send("p", alice.Id, bob.Id, "prune", "answer"));

        Assert.Equal(0, await fixture.Store.Submissions.PruneAsync(DateTimeOffset.UtcNow.AddHours(-1)));
        Assert.NotNull(await fixture.Store.Submissions.FindAsync(alice.Id, "prune"));
        Assert.Equal(1, await fixture.Store.Submissions.PruneAsync(DateTimeOffset.UtcNow.AddMinutes(1)));

        Assert.Null(await fixture.Store.Submissions.FindAsync(alice.Id, "prune"));
        var after = await fixture.Store.Deliveries.CommitAsync(Send("p", alice.Id, bob.Id, "prune", "answer"));
        Assert.False(after.Value!.IsDuplicate);
    }

    /// <summary>A send: bob's Inbox copy, then the sender's Sent copy, which the answer names.</summary>
    internal static DeliveryCommit Send(string subject, long sender, long recipient, string id, string answer) => new(TestMessages.Received)
    {
        Copies =
        [
            new ContentCopies(TestMessages.Bytes(subject), TestMessages.Summary(subject), [new DeliveryTarget(recipient, "Inbox", 0), new DeliveryTarget(sender, "Sent", MessageFlags.Seen)]),
        ],
        Submission = new SubmissionRecord(sender, id, answer) { CopyIndex = 1 },
    };
}
