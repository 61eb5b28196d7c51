namespace Butterfly.Storage.Tests;

/// <summary>The folder store's conformance suite on SQLite.</summary>
public sealed class SqliteFolderStoreTests : FolderStoreConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => SqliteConformanceFixture.CreateAsync();
}
