namespace Butterfly.Storage.Tests;

/// <summary>The alias and list conformance suite on SQLite.</summary>
public sealed class SqliteAddressTests : AddressConformance
{
    protected override Task<ConformanceFixture> OpenAsync() => SqliteConformanceFixture.CreateAsync();
}
