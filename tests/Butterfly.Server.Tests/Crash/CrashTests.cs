using Xunit.Abstractions;

namespace Butterfly.Server.Tests.Crash;

/// <summary>The kill -9 scenarios with the daemon on SQLite (the embedded default).</summary>
public sealed class CrashTests(ITestOutputHelper output) : CrashScenarios(output)
{
    private protected override CrashStore Store => CrashStore.Sqlite;
}
