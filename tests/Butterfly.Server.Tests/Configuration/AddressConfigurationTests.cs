using Butterfly.Server.Configuration;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Configuration;

/// <summary>The <c>quota</c> and <c>addresses</c> sections of butterfly.json, and sizes as people write them.</summary>
public sealed class AddressConfigurationTests : IDisposable
{
    private readonly TempDirectory _directory = new("bf-config-addresses");

    private string ConfigPath => _directory.Combine("butterfly.json");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1500", 1500L)]
    [InlineData("500K", 500L << 10)]
    [InlineData("10m", 10L << 20)]
    [InlineData("2G", 2L << 30)]
    [InlineData("2GB", 2L << 30)]
    public void TryParse_Sizes_Bytes(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("-5")]
    [InlineData("1.5G")]
    [InlineData("99999999999999999999G")]
    public void TryParse_NotASize_False(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Fact]
    public void Load_QuotaAndSubaddressing_BoundToStoreOptions()
    {
        File.WriteAllText(ConfigPath, """
            { "domains": ["example.org", "example.net"], "quota": { "default": "2G" },
              "addresses": { "subaddressSeparator": "-", "subaddressFolders": true } }
            """);
        var options = ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None);

        Assert.Equal(2L << 30, options.ToStoreOptions().DefaultQuotaBytes);
        Assert.Equal(("-", true), (options.Addresses.SubaddressSeparator, options.Addresses.SubaddressFolders));
        Assert.Null(new ButterflyOptions().ToStoreOptions().DefaultQuotaBytes);
    }

    [Fact]
    public void Load_BadQuotaOrSeparator_NamesTheKey()
    {
        File.WriteAllText(ConfigPath, """
            { "domains": ["example.org"], "quota": { "default": "lots" }, "addresses": { "subaddressSeparator": "++" } }
            """);
        var error = Assert.Throws<ConfigurationException>(() => ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None));

        Assert.Contains("quota.default: 'lots' is not a size", error.Message, StringComparison.Ordinal);
        Assert.Contains("addresses.subaddressSeparator: '++'", error.Message, StringComparison.Ordinal);
    }
}
