namespace Butterfly.Storage.Tests;

/// <summary>The account store's conformance suite on SQLite.</summary>
public sealed class SqliteAccountStoreTests : AccountStoreConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => SqliteConformanceFixture.CreateAsync();
}
