using Butterfly.Storage.Tests;
using Butterfly.TestUtilities;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>The account store's conformance suite on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountStoreTests(PrivatePostgres cluster) : AccountStoreConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => PostgresConformanceFixture.CreateAsync(cluster);
}
