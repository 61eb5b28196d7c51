using Butterfly.Storage.Tests;
using Butterfly.TestUtilities;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>The script store's conformance suite on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresScriptStoreTests(PrivatePostgres cluster) : ScriptStoreConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => PostgresConformanceFixture.CreateAsync(cluster);
}
