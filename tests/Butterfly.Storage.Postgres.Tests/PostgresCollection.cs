using Butterfly.TestUtilities;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>The test classes that share one private cluster (each test takes a database of its own).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PrivatePostgres>
{
    public const string Name = "postgres";
}
