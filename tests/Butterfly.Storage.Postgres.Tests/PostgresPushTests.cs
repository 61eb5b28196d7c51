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
        await using var pair = await ListeningPair.OpenAsync(cluster);
        var before = await pair.StateAsync();

        Assert.True((await pair.A.Deliveries.CommitAsync(TestMessages.Delivery("hello", new DeliveryTarget(pair.Alice, "Inbox", MessageFlags.None)))).Ok);

        Assert.True(await pair.StateAsync() > before);
        await pair.HeardCurrentStateAsync();
    }

    [Fact]
    public async Task OnCommitted_ThisStoresCommit_ToldRightAfterItCommits()
    {
        var database = cluster.CreateDatabase();
        await using var a = await OpenStoreAsync(database);
        var alice = (await a.Accounts.CreateAsync("alice@example.org", "secret")).Value!;
        var heard = new Heard();
        using var listening = a.OnCommitted(heard.Add);
        await heard.WaitForAsync(alice.Id, (await a.Changes.StateAsync(alice.Id))!.Value);

        Assert.True((await a.Folders.CreateAsync(alice.Id, "Work")).Ok);

        // Before the write's task completed: the store ignores its own notifications, and it listens already.
        var state = (await a.Changes.StateAsync(alice.Id))!.Value;
        Assert.Contains(new AccountState(alice.Id, state), heard.All);
    }

    [Fact]
    public async Task OnCommitted_ListeningConnectionTerminated_ReconnectsAndTellsTheCurrentStates()
    {
        await using var pair = await ListeningPair.OpenAsync(cluster);
        const string Listener = "SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'butterfly listen %' AND datname = current_database()";
        var listener = await ScalarAsync(pair.Database, Listener);

        Assert.Equal(1, await ScalarAsync(pair.Database, $"SELECT COUNT(pg_terminate_backend(pid))::int FROM ({Listener}) l"));

        // A change that sends no notification at all: only the read after reconnecting can tell it.
        var bumped = await ScalarAsync(pair.Database, $"UPDATE accounts SET modseq = modseq + 1 WHERE id = {pair.Alice} RETURNING modseq");
        await pair.Heard.WaitForAsync(pair.Alice, bumped);
        Assert.NotEqual(listener, await ScalarAsync(pair.Database, Listener));

        // And notifications flow again.
        Assert.True((await pair.A.Folders.CreateAsync(pair.Alice, "Work")).Ok);
        await pair.HeardCurrentStateAsync();
    }

    [Fact]
    public async Task OnCommitted_PublishingConnectionTerminated_NextCommitStillReachesTheOtherStore()
    {
        await using var pair = await ListeningPair.OpenAsync(cluster);
        Assert.True((await pair.A.Folders.CreateAsync(pair.Alice, "One")).Ok);
        await pair.HeardCurrentStateAsync();

        Assert.Equal(1, await ScalarAsync(pair.Database, "SELECT COUNT(pg_terminate_backend(pid))::int FROM pg_stat_activity WHERE application_name LIKE 'butterfly notify %' AND datname = current_database()"));
        Assert.True((await pair.A.Folders.CreateAsync(pair.Alice, "Two")).Ok);

        await pair.HeardCurrentStateAsync();
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

    private static Task<PostgresMailStore> OpenStoreAsync(string connectionString)
        => PostgresMailStore.OpenAsync(PostgresConformanceFixture.Options(connectionString));

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Two stores on a new database with an account, and a listener on the second that has heard the account's
    /// state once: it listens, so what it hears from then on comes by notification (or a reconnection's read).
    /// </summary>
    private sealed class ListeningPair : IAsyncDisposable
    {
        private IDisposable? _listening;

        private ListeningPair(string database, PostgresMailStore a, PostgresMailStore b, long alice)
            => (Database, A, B, Alice) = (database, a, b, alice);

        public string Database { get; }

        public PostgresMailStore A { get; }

        public PostgresMailStore B { get; }

        public long Alice { get; }

        public Heard Heard { get; } = new();

        public static async Task<ListeningPair> OpenAsync(PrivatePostgres cluster)
        {
            var database = cluster.CreateDatabase();
            var a = await OpenStoreAsync(database);
            var b = await OpenStoreAsync(database);
            var pair = new ListeningPair(database, a, b, (await a.Accounts.CreateAsync("alice@example.org", "secret")).Value!.Id);
            pair._listening = b.OnCommitted(pair.Heard.Add);
            await pair.HeardCurrentStateAsync();
            return pair;
        }

        public async Task<long> StateAsync() => (await A.Changes.StateAsync(Alice))!.Value;

        /// <summary>Waits until the listener on <see cref="B"/> has heard the account's state as it is now.</summary>
        public async Task HeardCurrentStateAsync() => await Heard.WaitForAsync(Alice, await StateAsync());

        public async ValueTask DisposeAsync()
        {
            _listening?.Dispose();
            await B.DisposeAsync();
            await A.DisposeAsync();
        }
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
