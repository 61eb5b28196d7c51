using Butterfly.Storage.Tests;
using Butterfly.TestUtilities;
using Npgsql;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>The conformance suite's store on PostgreSQL: a new database of the private cluster per test.</summary>
internal sealed class PostgresConformanceFixture : ConformanceFixture
{
    // The invariants Database.AssertInvariants checks on SQLite, in PostgreSQL's SQL.
    private static readonly string[] _invariants =
    [
        """
        SELECT COUNT(*) FROM folders f
        WHERE f.messages != (SELECT COUNT(*) FROM messages m WHERE m.folder_id = f.id)
           OR f.unseen != (SELECT COUNT(*) FROM messages m WHERE m.folder_id = f.id AND (m.flags & 1) = 0)
        """,
        """
        SELECT COUNT(*) FROM contents c
        WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.content_id = c.id) AND NOT EXISTS (SELECT 1 FROM queue q WHERE q.content_id = c.id)
        """,
        "SELECT COUNT(*) FROM queue q WHERE NOT EXISTS (SELECT 1 FROM contents c WHERE c.id = q.content_id)",
        """
        SELECT COUNT(*) FROM folders f
        WHERE position('/' in f.name) > 0
          AND NOT EXISTS (SELECT 1 FROM folders p WHERE p.account_id = f.account_id AND p.name = regexp_replace(f.name, '/[^/]*$', ''))
        """,
        "SELECT COUNT(*) FROM messages m WHERE NOT EXISTS (SELECT 1 FROM contents c WHERE c.id = m.content_id)",
        "SELECT COUNT(*) FROM messages m WHERE NOT EXISTS (SELECT 1 FROM folders f WHERE f.id = m.folder_id)",
        """
        SELECT COUNT(*) FROM accounts a
        WHERE a.usage != (SELECT COALESCE(SUM(c.size), 0) FROM messages m JOIN folders f ON f.id = m.folder_id
                          JOIN contents c ON c.id = m.content_id WHERE f.account_id = a.id)
        """,
        "SELECT COUNT(*) FROM threads t WHERE NOT EXISTS (SELECT 1 FROM contents c WHERE c.id = t.content_id)",
        "SELECT COUNT(*) FROM search_pending p WHERE NOT EXISTS (SELECT 1 FROM contents c WHERE c.id = p.content_id)",
    ];

    private readonly string _connectionString;

    // The test's own look at the database: unpooled, so no idle connection outlives the test (one per test
    // database would soon exhaust the cluster's max_connections).
    private readonly string _lookString;
    private PostgresMailStore _store;

    private PostgresConformanceFixture(string connectionString, PostgresMailStore store)
    {
        _connectionString = connectionString;
        _lookString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        _store = store;
    }

    public override StoreUnderTest Store => Stores(_store);

    /// <summary>The stores of <paramref name="store"/>, as the conformance suite takes them.</summary>
    public static StoreUnderTest Stores(PostgresMailStore store) => new(
        store.Accounts, store.Folders, store.Messages, store.Deliveries, store.Quotas, store.Submissions, store.PeerRecords, store.Queue, store.Changes,
        store.Aliases, store.Lists, store.Scripts, store.SessionTokens, store.Search);

    public static async Task<ConformanceFixture> CreateAsync(PrivatePostgres cluster)
    {
        var connectionString = cluster.CreateDatabase();
        return new PostgresConformanceFixture(connectionString, await PostgresMailStore.OpenAsync(Options(connectionString)));
    }

    public static PostgresStoreOptions Options(string connectionString, int passwordCost = 4) => new()
    {
        ConnectionString = connectionString,
        PasswordCost = passwordCost,
        AllowWeakPasswordHashingForTests = true,
        PasswordHashWorkers = 2,
    };

    public override async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_lookString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override async Task<string?> TextAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_lookString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() as string;
    }

    public override async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_lookString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override Task UnindexAllAsync() => ExecuteAsync(
        "UPDATE contents SET search = NULL; DELETE FROM threads; INSERT INTO search_pending (content_id) SELECT id FROM contents WHERE summarized");

    public override async Task ReopenAsync(int passwordCost = 4)
    {
        await _store.DisposeAsync();
        _store = await PostgresMailStore.OpenAsync(Options(_connectionString, passwordCost));
    }

    public override async Task<(StoreUnderTest Store, IAsyncDisposable Handle)> OpenSecondAsync()
    {
        var second = await PostgresMailStore.OpenAsync(Options(_connectionString));
        return (Stores(second), second);
    }

    /// <summary>Closes the store and checks the invariants every test must leave intact.</summary>
    public override async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        foreach (var sql in _invariants)
        {
            Assert.True(await ScalarAsync(sql) == 0, $"Invariant broken: {sql}");
        }
    }
}
