namespace Butterfly.Storage.Tests;

/// <summary>The changes-since conformance suite on SQLite.</summary>
public sealed class SqliteChangeStoreTests : ChangeStoreConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => SqliteConformanceFixture.CreateAsync();
}
