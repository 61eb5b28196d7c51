using Butterfly.Server.Tests.MultiDaemon;
using Butterfly.TestUtilities;
using Xunit.Abstractions;

namespace Butterfly.Server.Tests.Crash;

/// <summary>The kill -9 scenarios with the daemon on PostgreSQL (a database of its own per test on the private cluster).</summary>
[Collection(PostgresDaemonsCollection.Name)]
public sealed class PostgresCrashTests(PrivatePostgres postgres, ITestOutputHelper output) : CrashScenarios(output)
{
    private protected override CrashStore Store { get; } = CrashStore.Postgres(postgres.CreateDatabase());
}
