namespace Butterfly.Storage.Tests;

/// <summary>The message store's and delivery commit's conformance suite on SQLite.</summary>
public sealed class SqliteMessageStoreTests : MessageStoreConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => SqliteConformanceFixture.CreateAsync();
}
