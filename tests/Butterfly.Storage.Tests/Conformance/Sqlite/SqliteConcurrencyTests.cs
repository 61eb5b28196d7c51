namespace Butterfly.Storage.Tests;

/// <summary>The concurrency conformance suite on SQLite (two stores on one file).</summary>
public sealed class SqliteConcurrencyTests : ConcurrencyConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => SqliteConformanceFixture.CreateAsync();
}
