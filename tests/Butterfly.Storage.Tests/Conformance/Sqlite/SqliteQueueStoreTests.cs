namespace Butterfly.Storage.Tests;

/// <summary>The queue conformance suite on SQLite.</summary>
public sealed class SqliteQueueStoreTests : QueueStoreConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => SqliteConformanceFixture.CreateAsync();
}
