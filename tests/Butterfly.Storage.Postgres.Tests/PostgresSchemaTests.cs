using Butterfly.Storage.Postgres.Internal;
using Butterfly.TestUtilities;
using Npgsql;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>The migration runner, the server checks at open, and what the schema keeps beyond the stores' answers.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaTests(PrivatePostgres cluster)
{
    [Fact]
    public async Task OpenAsync_TwoStoresAtOnceOnANewDatabase_ApplyEachMigrationOnce()
    {
        var connectionString = cluster.CreateDatabase();

        var stores = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => PostgresMailStore.OpenAsync(Options(connectionString)))));
        await using var first = stores[0];
        await using var second = stores[1];

        Assert.Equal(PostgresSchema.LatestVersion, await ScalarAsync(connectionString, "SELECT MAX(version) FROM schema_version"));
        Assert.Equal(PostgresSchema.LatestVersion, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM schema_version"));
        Assert.True((await first.Accounts.CreateAsync("alice@example.org", "pw")).Ok);
        Assert.NotNull(await second.Accounts.FindAsync("alice@example.org"));
    }

    [Fact]
    public async Task OpenAsync_SchemaNewerThanBuild_Refuses()
    {
        var connectionString = cluster.CreateDatabase();
        await (await PostgresMailStore.OpenAsync(Options(connectionString))).DisposeAsync();
        await ExecuteAsync(connectionString, $"INSERT INTO schema_version (version) VALUES ({PostgresSchema.LatestVersion + 1})");

        var refused = await Assert.ThrowsAsync<StoreException>(() => PostgresMailStore.OpenAsync(Options(connectionString)));

        Assert.Contains("newer than this build", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_UnknownTextSearchConfiguration_Refuses()
    {
        var options = new PostgresStoreOptions
        {
            ConnectionString = cluster.CreateDatabase(),
            TextSearchConfiguration = "klingon",
            PasswordCost = 4,
            AllowWeakPasswordHashingForTests = true,
        };

        var refused = await Assert.ThrowsAsync<StoreException>(() => PostgresMailStore.OpenAsync(options));

        Assert.Contains("'klingon'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommitAsync_Summarized_IndexesFieldsWithWeightsInTheConfiguredLanguage()
    {
        var connectionString = cluster.CreateDatabase();
        var options = new PostgresStoreOptions
        {
            ConnectionString = connectionString,
            TextSearchConfiguration = "english",
            PasswordCost = 4,
            AllowWeakPasswordHashingForTests = true,
        };
        await using var store = await PostgresMailStore.OpenAsync(options);
        var alice = (await store.Accounts.CreateAsync("alice@example.org", "pw")).Value!;
        var summary = new ContentSummary("carol@example.org", ["alice@example.org"], [], "Meeting notes", null, "<n@example.org>")
        {
            Text = new ContentText("We were running late.", ["agenda.pdf"], null, []),
        };
        var commit = new DeliveryCommit(DateTimeOffset.UtcNow)
        {
            Copies = [new ContentCopies("Subject: Meeting notes\r\n\r\nWe were running late.\r\n"u8.ToArray(), summary, [new DeliveryTarget(alice.Id, "Inbox", 0)])],
        };

        Assert.True((await store.Deliveries.CommitAsync(commit)).Ok);

        // english stems: "meetings" finds "Meeting" in the subject (A), "run" finds "running" in the body (D); an address
        // or a file name is its words, as in SQLite's index (PgSearchText); the sender is B, the recipients C,
        // attachment names go with the body.
        Assert.Equal(1, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM contents WHERE search @@ to_tsquery('english', 'meetings:A')"));
        Assert.Equal(1, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM contents WHERE search @@ to_tsquery('english', 'run:D')"));
        Assert.Equal(1, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM contents WHERE search @@ to_tsquery('english', 'carol:B <-> example:B <-> org:B')"));
        Assert.Equal(1, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM contents WHERE search @@ to_tsquery('english', 'alice:C <-> example:C <-> org:C')"));
        Assert.Equal(1, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM contents WHERE search @@ to_tsquery('english', 'agenda:D <-> pdf:D') AND has_attachment"));
        Assert.Equal(0, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM contents WHERE search @@ to_tsquery('english', 'run:A') OR search @@ to_tsquery('english', 'alice:B')"));
        Assert.Equal(0, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM contents WHERE search @@ to_tsquery('english', 'alice@example.org | agenda.pdf')"));
    }

    [Fact]
    public async Task DeleteAsync_AccountWithAliasesAndLists_TriggerRemovesThem()
    {
        var connectionString = cluster.CreateDatabase();
        await using var store = await PostgresMailStore.OpenAsync(Options(connectionString));
        var alice = (await store.Accounts.CreateAsync("alice@example.org", "pw")).Value!;
        await ExecuteAsync(connectionString, $"""
            INSERT INTO aliases (address, account_id, created) VALUES ('team@example.org', {alice.Id}, 0);
            INSERT INTO lists (address, owner_id, policy, created) VALUES ('all@example.org', {alice.Id}, 0, 0);
            INSERT INTO list_members (list_id, address) SELECT id, 'bob@example.org' FROM lists;
            INSERT INTO script_addresses (address, owner_id, created) VALUES ('bot@example.org', {alice.Id}, 0);
            INSERT INTO scripts (address, source, version, hash, updated) VALUES ('bot@example.org', '', 1, 'h', 0);
            """);

        Assert.True((await store.Accounts.DeleteAsync("alice@example.org")).Ok);

        foreach (var table in (string[])["aliases", "lists", "list_members", "script_addresses", "scripts", "accounts"])
        {
            Assert.Equal(0, await ScalarAsync(connectionString, $"SELECT COUNT(*) FROM {table}"));
        }
    }

    private static PostgresStoreOptions Options(string connectionString) => new()
    {
        ConnectionString = connectionString,
        PasswordCost = 4,
        AllowWeakPasswordHashingForTests = true,
    };

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
