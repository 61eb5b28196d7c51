using Butterfly.Storage.Tests;
using Butterfly.TestUtilities;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>The search store's conformance suite on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSearchStoreTests(PrivatePostgres cluster) : SearchStoreConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => PostgresConformanceFixture.CreateAsync(cluster);
}
