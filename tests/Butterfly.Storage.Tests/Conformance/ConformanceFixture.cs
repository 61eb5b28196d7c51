namespace Butterfly.Storage.Tests;

/// <summary>
/// One store for one conformance test, on SQLite or PostgreSQL: the stores, a look at the database on a
/// connection of its own (SQL both databases understand), and on dispose the invariants every test must
/// leave intact (counters match rows, no content unreferenced or missing, parents exist, usage adds up).
/// </summary>
public abstract class ConformanceFixture : IAsyncDisposable
{
    /// <summary>The stores under test (new objects after <see cref="ReopenAsync"/>).</summary>
    public abstract StoreUnderTest Store { get; }

    /// <summary>The first column of the first row of <paramref name="sql"/>, as a number.</summary>
    public abstract Task<long> ScalarAsync(string sql);

    /// <summary>The first column of the first row of <paramref name="sql"/>, as text.</summary>
    public abstract Task<string?> TextAsync(string sql);

    /// <summary>Runs a statement behind the store's back (to plant a row an older build wrote).</summary>
    public abstract Task ExecuteAsync(string sql);

    /// <summary>
    /// Leaves every content as an older build (SQLite) or <c>butterfly migrate</c> (PostgreSQL) hands it over:
    /// not in the search index, in no thread, waiting in <c>search_pending</c>. Reopen the store after it.
    /// </summary>
    public abstract Task UnindexAllAsync();

    /// <summary>Closes the store and opens it again on the same database.</summary>
    public abstract Task ReopenAsync(int passwordCost = 4);

    /// <summary>A second store on the same database, as a second daemon would open it; the caller disposes it.</summary>
    public abstract Task<(StoreUnderTest Store, IAsyncDisposable Handle)> OpenSecondAsync();

    public async Task<Account> CreateAccountAsync(string address = "alice@example.org", string password = "secret")
    {
        var result = await Store.Accounts.CreateAsync(address, password);
        Assert.True(result.Ok, $"CreateAccountAsync failed: {result.Error}");
        return result.Value!;
    }

    public abstract ValueTask DisposeAsync();
}
