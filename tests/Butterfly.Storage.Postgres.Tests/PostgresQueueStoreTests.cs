using Butterfly.Storage.Tests;
using Butterfly.TestUtilities;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>The queue conformance suite on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresQueueStoreTests(PrivatePostgres cluster) : QueueStoreConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => PostgresConformanceFixture.CreateAsync(cluster);
}
