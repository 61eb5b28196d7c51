using Butterfly.TestUtilities;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>
/// A PostgreSQL server that goes away under a running store: its writes and reads fail with
/// <see cref="StoreError.Busy"/> (the client hears <c>server.busy</c> and retries), not as an internal error.
/// </summary>
public sealed class PostgresUnavailableTests
{
    [Fact]
    public async Task WriteAndRead_ServerStopped_BusyNotInternal()
    {
        StoreException? write;
        StoreException? read;
        using (var cluster = new PrivatePostgres())
        {
            await using var store = await PostgresMailStore.OpenAsync(PostgresConformanceFixture.Options(cluster.CreateDatabase()));
            Assert.True((await store.Accounts.CreateAsync("alice@example.org", "secret")).Ok);

            cluster.Dispose();

            write = await Assert.ThrowsAsync<StoreException>(() => store.Accounts.CreateAsync("bob@example.org", "secret"));
            read = await Assert.ThrowsAsync<StoreException>(() => store.Accounts.ListAsync());
        }

        Assert.Equal(StoreError.Busy, write.Error);
        Assert.Equal(StoreError.Busy, read.Error);
        Assert.StartsWith("The PostgreSQL server cannot take this work now: ", write.Message, StringComparison.Ordinal);
    }
}
