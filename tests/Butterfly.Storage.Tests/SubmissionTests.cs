namespace Butterfly.Storage.Tests;

/// <summary>
/// Client submission ids: recorded in the transaction that stores the mail, so a repeat stores
/// nothing and gets the first answer; per account; pruned by age.
/// </summary>
public sealed class SubmissionTests
{
    [Fact]
    public async Task CommitAsync_ManyWithOneIdInOneBatch_OneCopyAndAllGetIt()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");

        Task<StoreResult<CommitResult>>[] commits;
        using (WriterHold.Start(fixture.Store))
        {
            commits = [.. Enumerable.Range(0, 8).Select(i => fixture.Store.Deliveries.CommitAsync(SubmissionStoreConformance.Send($"race {i}", alice.Id, bob.Id, "race", $"answer {i}")))];
        }

        var results = await Task.WhenAll(commits);

        Assert.Single(results, r => !r.Value!.IsDuplicate);
        var stored = results.Single(r => !r.Value!.IsDuplicate).Value!;
        Assert.All(results.Where(r => r.Value!.IsDuplicate), r => Assert.Equal(stored.Copies[1], r.Value!.ExistingSubmission!.Copy));
        Assert.Equal(2, Database.Scalar(fixture, "SELECT COUNT(*) FROM messages"));
    }
}
