namespace Butterfly.Storage.Tests;

/// <summary>The session token conformance suite on SQLite.</summary>
public sealed class SqliteSessionTokenTests : SessionTokenConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => SqliteConformanceFixture.CreateAsync();
}
