namespace Butterfly.Storage.Tests;

/// <summary>The conformance suite's store on SQLite: a <see cref="StoreFixture"/>.</summary>
internal sealed class SqliteConformanceFixture : ConformanceFixture
{
    private readonly StoreFixture _fixture;

    private SqliteConformanceFixture(StoreFixture fixture) => _fixture = fixture;

    public override StoreUnderTest Store
    {
        get
        {
            var store = _fixture.Store;
            return new StoreUnderTest(store.Accounts, store.Folders, store.Messages, store.Deliveries, store.Quotas, store.Submissions, store.PeerRecords, store.Queue, store.Changes, store.Aliases, store.Lists, store.Scripts, store.SessionTokens, store.Search);
        }
    }

    public static async Task<ConformanceFixture> CreateAsync() => new SqliteConformanceFixture(await StoreFixture.CreateAsync());

    public override Task<long> ScalarAsync(string sql) => Task.FromResult(Database.Scalar(_fixture, sql));

    public override Task<string?> TextAsync(string sql) => Task.FromResult(Database.Text(_fixture, sql));

    public override Task ExecuteAsync(string sql) => _fixture.Store.Writer.EnqueueAsync(c => c.Command(sql).ExecuteNonQuery(), default);

    public override async Task UnindexAllAsync()
    {
        // Closing indexes what the store left to its backlog (after the commit): nothing of it comes after this.
        await _fixture.ReopenAsync();
        await _fixture.Store.Writer.EnqueueAsync(
            c => c.Command("INSERT INTO search (search) VALUES ('delete-all'); DELETE FROM threads; INSERT INTO search_pending (content_id) SELECT id FROM contents WHERE summarized = 1")
                .ExecuteNonQuery(),
            default);
    }

    public override Task ReopenAsync(int passwordCost = 4) => _fixture.ReopenAsync(passwordCost);

    public override async Task<(StoreUnderTest Store, IAsyncDisposable Handle)> OpenSecondAsync()
    {
        var second = await _fixture.OpenSecondAsync();
        return (new StoreUnderTest(second.Accounts, second.Folders, second.Messages, second.Deliveries, second.Quotas, second.Submissions, second.PeerRecords, second.Queue, second.Changes, second.Aliases, second.Lists, second.Scripts, second.SessionTokens, second.Search), second);
    }

    public override ValueTask DisposeAsync() => _fixture.DisposeAsync();
}
