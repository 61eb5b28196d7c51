namespace Butterfly.Storage.Tests;

/// <summary>The script store's conformance suite on SQLite.</summary>
public sealed class SqliteScriptStoreTests : ScriptStoreConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => SqliteConformanceFixture.CreateAsync();
}
