using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.MultiDaemon;

/// <summary>The test classes whose daemons run on PostgreSQL: one private cluster serves them, each test takes a database of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresDaemonsCollection : ICollectionFixture<PrivatePostgres>
{
    public const string Name = "postgres daemons";
}
