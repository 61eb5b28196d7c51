using System.Collections.Concurrent;
using Butterfly.Storage.Tests;
using Butterfly.TestUtilities;
using Npgsql;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>
/// <see cref="PostgresMailStore.OnCommitted"/> across stores on one database, as across daemons (README.md, "Push
/// across daemons"): a commit through one store reaches the listeners of another, also after its listening
/// connection was cut.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPushTests(PrivatePostgres cluster)
{
    [Fact]
    public async Task OnCommitted_CommitThroughAnotherStore_ReachesThisStoresListenerWithTheNewState()
    {
        var database = cluster.CreateDatabase();
        await using var a = await OpenAsync(database);
        await using var b = await OpenAsync(database);
        var alice = (await a.Accounts.CreateAsync("alice@example.org", "secret")).Value!;
        var before = (await a.Changes.StateAsync(alice.Id))!.Value;
        var heard = new Heard();
        using var listening = b.OnCommitted(heard.Add);

        // b reads every state once it listens: from then on, what it hears came by notification.
        await heard.WaitForAsync(alice.Id, before);
        Assert.True((await a.Deliveries.CommitAsync(TestMessages.Delivery("hello", new DeliveryTarget(alice.Id, "Inbox", MessageFlags.None)))).Ok);
        var after = (await a.Changes.StateAsync(alice.Id))!.Value;

        Assert.True(after > before);
        await heard.WaitForAsync(alice.Id, after);
    }

    [Fact]
    public async Task OnCommitted_ThisStoresCommit_ToldRightAfterItCommits()
    {
        var database = cluster.CreateDatabase();
        await using var a = await OpenAsync(database);
        var alice = (await a.Accounts.CreateAsync("alice@example.org", "secret")).Value!;
        var heard = new Heard();
        using var listening = a.OnCommitted(heard.Add);

        Assert.True((await a.Folders.CreateAsync(alice.Id, "Work")).Ok);

        // Before the write's task completed, not by the notification that comes later.
        var state = (await a.Changes.StateAsync(alice.Id))!.Value;
        Assert.Contains(new AccountState(alice.Id, state), heard.All);
    }

    [Fact]
    public async Task OnCommitted_ListeningConnectionTerminated_ReconnectsAndTellsTheCurrentStates()
    {
        var database = cluster.CreateDatabase();
        await using var a = await OpenAsync(database);
        await using var b = await OpenAsync(database);
        var alice = (await a.Accounts.CreateAsync("alice@example.org", "secret")).Value!;
        var heard = new Heard();
        using var listening = b.OnCommitted(heard.Add);
        await heard.WaitForAsync(alice.Id, (await a.Changes.StateAsync(alice.Id))!.Value);
        var listener = await ScalarAsync(database, "SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'butterfly listen %' AND datname = current_database()");

        Assert.Equal(1, await ScalarAsync(database, $"SELECT COUNT(*) FROM pg_stat_activity WHERE application_name LIKE 'butterfly listen %' AND datname = current_database()"));
        Assert.Equal(1, await ScalarAsync(database, $"SELECT pg_terminate_backend({listener})::int"));

        // A change that sends no notification at all: only the read after reconnecting can tell it.
        var bumped = await ScalarAsync(database, $"UPDATE accounts SET modseq = modseq + 1 WHERE id = {alice.Id} RETURNING modseq");
        await heard.WaitForAsync(alice.Id, bumped);
        Assert.NotEqual(listener, await ScalarAsync(database, "SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'butterfly listen %' AND datname = current_database()"));

        // And notifications flow again.
        Assert.True((await a.Folders.CreateAsync(alice.Id, "Work")).Ok);
        await heard.WaitForAsync(alice.Id, (await a.Changes.StateAsync(alice.Id))!.Value);
    }

    [Fact]
    public void Payloads_ManyAccounts_SplitUnderTheLimitAndReadBackWhole()
    {
        var states = Enumerable.Range(1, 3000).Select(i => new AccountState(1_000_000_000L + i, 9_000_000_000L + i)).ToArray();

        var payloads = PgCommitFeed.Payloads("sender", states);

        Assert.True(payloads.Count > 1);
        Assert.All(payloads, p => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(p), 1, PgCommitFeed.MaxPayloadBytes));
        Assert.Equal(states, payloads.SelectMany(p => PgCommitFeed.Parse(p, "receiver")!));
    }

    [Fact]
    public void Parse_OwnOrForeignPayload_Ignored()
    {
        var payload = Assert.Single(PgCommitFeed.Payloads("me", [new AccountState(1, 2)]));

        Assert.Null(PgCommitFeed.Parse(payload, "me"));
        Assert.Equal([new AccountState(1, 2)], PgCommitFeed.Parse(payload, "other"));
        Assert.Null(PgCommitFeed.Parse("someone 1:x", "other"));
        Assert.Null(PgCommitFeed.Parse("hello", "other"));
    }

    private static Task<PostgresMailStore> OpenAsync(string connectionString)
        => PostgresMailStore.OpenAsync(PostgresConformanceFixture.Options(connectionString));

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What a listener was told.</summary>
    private sealed class Heard
    {
        private readonly ConcurrentQueue<AccountState> _states = new();

        public IReadOnlyCollection<AccountState> All => _states;

        public void Add(IReadOnlyList<AccountState> states)
        {
            foreach (var state in states)
            {
                _states.Enqueue(state);
            }
        }

        public Task WaitForAsync(long account, long modSeq)
            => Eventually.TrueAsync(() => _states.Contains(new AccountState(account, modSeq)), $"the listener hears account {account} at state {modSeq}");
    }
}
