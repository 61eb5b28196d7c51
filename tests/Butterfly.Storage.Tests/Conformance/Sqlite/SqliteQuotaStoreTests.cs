namespace Butterfly.Storage.Tests;

/// <summary>The quota conformance suite on SQLite.</summary>
public sealed class SqliteQuotaStoreTests : QuotaStoreConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => SqliteConformanceFixture.CreateAsync();
}
