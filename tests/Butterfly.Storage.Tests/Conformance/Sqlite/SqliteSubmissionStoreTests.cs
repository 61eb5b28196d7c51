namespace Butterfly.Storage.Tests;

/// <summary>The submission conformance suite on SQLite.</summary>
public sealed class SqliteSubmissionStoreTests : SubmissionStoreConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => SqliteConformanceFixture.CreateAsync();
}
