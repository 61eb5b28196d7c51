using System.Text;
using Butterfly.Storage.Tests;
using Butterfly.TestUtilities;
using Npgsql;
using static Butterfly.Storage.Tests.SearchMail;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>
/// Search on PostgreSQL beyond the conformance suite: several daemons on one database, the limits of a
/// <c>tsvector</c>, and a text search configuration that stems.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSearchTests(PrivatePostgres cluster)
{
    [Fact]
    public async Task SearchAsync_MailDeliveredThroughAnotherDaemon_FoundAndThreadedAtOnce()
    {
        await using var fixture = await PostgresConformanceFixture.CreateAsync(cluster);
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var (second, handle) = await fixture.OpenSecondAsync();
        await using (handle)
        {
            for (var i = 0; i < 10; i++)
            {
                // Each daemon delivers in turn; the other finds the mail as soon as the delivery is acknowledged.
                var (through, other) = i % 2 == 0 ? (second, fixture.Store) : (fixture.Store, second);
                var reply = i == 0 ? null : $"chain-{i - 1}";
                var copies = await DeliverAsync(through, Mail("alice", i == 0 ? "Chain" : "Re: Chain", $"link{i}", id: $"chain-{i}", inReplyTo: reply), Day.AddMinutes(i), bob.Id);
                Assert.Equal([copies[0].Id], (await SearchAsync(other, bob.Id, $"link{i}")).Messages.Select(m => m.Id));
                Assert.Equal(i + 1, (await other.Search.ThreadAsync(bob.Id, "Inbox", copies[0].Id)).Value!.Count);
            }
        }
    }

    [Fact]
    public async Task DeliverAsync_WallOfDistinctWords_StoredWithTheWordsAVectorHolds()
    {
        await using var fixture = await PostgresConformanceFixture.CreateAsync(cluster);
        var bob = await fixture.CreateAccountAsync("bob@example.org");

        // Distinct three-character CJK words (9 bytes each): a body as long as the daemon indexes (256 K
        // characters), and as many again in attachment names. PostgreSQL refuses a vector of all of them
        // (their bytes pass 1 MB), and would refuse the delivery with it.
        static string Words(int from, int count) => string.Join(' ', Enumerable.Range(from, count).Select(i =>
            new string([(char)(0x4E00 + (i % 20000)), (char)(0x4E00 + (i / 20000)), '\u4E00'])));
        var body = "firstword " + Words(0, 64_000);
        string[] names = [.. Enumerable.Range(0, 60).Select(n => Words(64_000 + (n * 1000), 1000) + ".txt"), "lastword.txt"];
        var refused = await Assert.ThrowsAsync<PostgresException>(
            () => fixture.ScalarAsync($"SELECT length(to_tsvector('simple', '{body} {string.Join(' ', names)}'))"));
        Assert.Equal("54000", refused.SqlState);

        var (bytes, summary) = Mail("alice", "Wall", body);
        var copies = await DeliverAsync(fixture.Store, (bytes, summary with { Text = summary.Text! with { AttachmentNames = names } }), Day, bob.Id);
        Assert.Equal([copies[0].Id], (await SearchAsync(fixture.Store, bob.Id, "firstword has:attachment")).Messages.Select(m => m.Id));
        Assert.Single((await SearchAsync(fixture.Store, bob.Id, "subject:wall")).Messages);

        // The words past what a vector holds are not indexed (as the daemon leaves out text past 256 K characters).
        Assert.Empty((await SearchAsync(fixture.Store, bob.Id, "lastword")).Messages);
    }

    [Fact]
    public async Task SearchAsync_EnglishConfiguration_StemsAndSkipsStopWords()
    {
        var connectionString = cluster.CreateDatabase();
        var options = PostgresConformanceFixture.Options(connectionString);
        await using var store = await PostgresMailStore.OpenAsync(new PostgresStoreOptions
        {
            ConnectionString = connectionString,
            PasswordCost = options.PasswordCost,
            AllowWeakPasswordHashingForTests = true,
            PasswordHashWorkers = options.PasswordHashWorkers,
            TextSearchConfiguration = "english",
        });
        var stores = PostgresConformanceFixture.Stores(store);
        var bob = (await stores.Accounts.CreateAsync("bob@example.org", "secret")).Value!;
        await DeliverAsync(stores, Mail("alice", "Races", "The runners were running in the parks."), Day, bob.Id);

        foreach (var query in new[] { "run", "runner", "park", "\"the runners\"", "\"running in the parks\"", "subject:race", "the runs" })
        {
            Assert.True((await SubjectsAsync(stores, bob.Id, query)).Count == 1, $"'{query}' finds nothing");
        }

        Assert.Empty(await SubjectsAsync(stores, bob.Id, "\"parks running\""));
        Assert.Empty(await SubjectsAsync(stores, bob.Id, "walk"));
    }

    [Fact]
    public async Task SearchAsync_SimpleConfiguration_WordsAsWritten()
    {
        await using var fixture = await PostgresConformanceFixture.CreateAsync(cluster);
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await DeliverAsync(fixture.Store, Mail("alice", "Races", "The runners were running in the parks."), Day, bob.Id);

        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "run"));
        Assert.Equal(["Races"], await SubjectsAsync(fixture.Store, bob.Id, "running the"));
    }

    [Fact]
    public async Task IndexPendingAsync_TwoDaemonsAtOnce_EachContentIndexedAndThreadedOnce()
    {
        await using var fixture = await PostgresConformanceFixture.CreateAsync(cluster);
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var mails = new List<(byte[] Bytes, ContentSummary Summary)>();
        for (var i = 0; i < 40; i++)
        {
            // Ten conversations of four messages, each replying to the one before.
            var id = $"c{i % 10}-m{i / 10}";
            mails.Add(Mail("carol", i < 10 ? $"Topic {i}" : $"Re: Topic {i % 10}", $"backlog{i}", id: id, inReplyTo: i < 10 ? null : $"c{i % 10}-m{(i / 10) - 1}"));
            await DeliverAsync(fixture.Store, mails[^1], Day.AddMinutes(i), alice.Id, bob.Id);
        }

        await fixture.UnindexAllAsync();
        var (second, handle) = await fixture.OpenSecondAsync();
        await using (handle)
        {
            // Both daemons work the backlog as SearchIndexWorker does (the oldest batch, indexed, again), in
            // batches of different sizes: they take the same contents, and each is indexed by one of them.
            await Task.WhenAll(WorkBacklogAsync(fixture.Store.Search, mails, 7), WorkBacklogAsync(second.Search, mails, 5));
        }

        Assert.Equal(0, await fixture.Store.Search.PendingCountAsync());
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents WHERE search IS NULL"));
        Assert.Equal(80, await fixture.ScalarAsync("SELECT COUNT(*) FROM threads"));
        foreach (var account in new[] { alice.Id, bob.Id })
        {
            var threads = (await fixture.Store.Search.ListThreadsAsync(account, "Inbox", 50)).Value!.Threads;
            Assert.Equal(Enumerable.Repeat(4L, 10), threads.Select(t => t.Messages));
            Assert.Single((await SearchAsync(fixture.Store, account, "backlog39")).Messages);
        }
    }

    private static async Task WorkBacklogAsync(ISearchStore search, List<(byte[] Bytes, ContentSummary Summary)> mails, int batch)
    {
        while (await search.PendingAsync(batch) is { Count: > 0 } pending)
        {
            await search.IndexPendingAsync([.. pending.Select(p => (p.ContentId, TextOf(mails, p)))]);
        }
    }
}
