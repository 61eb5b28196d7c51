namespace Butterfly.Storage.Tests;

/// <summary>The search store's conformance suite on SQLite.</summary>
public sealed class SqliteSearchStoreTests : SearchStoreConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => SqliteConformanceFixture.CreateAsync();
}
