using Butterfly.Storage.Tests;
using Butterfly.TestUtilities;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>The concurrency conformance suite on PostgreSQL (two stores on one database, as two daemons).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConcurrencyTests(PrivatePostgres cluster) : ConcurrencyConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => PostgresConformanceFixture.CreateAsync(cluster);
}
