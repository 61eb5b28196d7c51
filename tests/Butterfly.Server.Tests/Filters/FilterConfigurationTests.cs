using Butterfly.Server.Configuration;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Filters;

/// <summary>filters and filterSocket in butterfly.json are checked at load (protocol/filter.md, "Configuration").</summary>
public sealed class FilterConfigurationTests
{
    private static ButterflyOptions Load(string json)
    {
        using var directory = new TempDirectory("bf-filter-config");
        var path = directory.Combine("butterfly.json");
        File.WriteAllText(path, json);
        return ButterflyConfiguration.Load(path, ConfigOverrides.None);
    }

    [Fact]
    public void Load_FiltersInOrder_BoundWithDefaults()
    {
        var options = Load("""
            {"domains":["example.org"],
             "filterSocket":{"path":"/run/bf/filter.sock","mode":"0600"},
             "filters":[{"name":"spam","stages":["inbound"],"timeoutSeconds":2.5,"onFailure":"accept"},
                        {"name":"lists","stages":[],"claims":["dev@example.org"]}]}
            """);
        Assert.Equal(["spam", "lists"], options.Filters.Select(f => f.Name));
        Assert.Equal(2.5, options.Filters[0].TimeoutSeconds);
        Assert.Equal("accept", options.Filters[0].OnFailure);
        Assert.Equal("tempfail", options.Filters[1].OnFailure);
        Assert.Equal(5, options.Filters[1].TimeoutSeconds);
        Assert.Equal(["dev@example.org"], options.Filters[1].Claims);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, options.FilterSocket.ParseMode());
        Assert.Equal("/run/bf/filter.sock", options.FilterSocket.Resolve("/var/lib/butterfly"));
    }

    [Fact]
    public void Load_Defaults_SocketInDataFolderMode0660()
    {
        var options = Load("""{"domains":["example.org"]}""");
        Assert.Empty(options.Filters);
        Assert.Equal("/data/filter.sock", options.FilterSocket.Resolve("/data"));
        Assert.Equal((UnixFileMode)Convert.ToInt32("660", 8), options.FilterSocket.ParseMode());
    }

    [Theory]
    [InlineData("""[{"name":"spam","onFailure":"ignore"}]""", "onFailure: 'ignore'")]
    [InlineData("""[{"name":"spam"},{"name":"spam"}]""", "'spam' is listed twice")]
    [InlineData("""[{"name":""}]""", "name is required")]
    [InlineData("""[{"name":"spam","stages":["sideways"]}]""", "'sideways' is not one of")]
    [InlineData("""[{"name":"spam","timeoutSeconds":0}]""", "timeoutSeconds")]
    public void Load_BadFilter_ClearError(string filters, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load($$"""{"domains":["example.org"],"filters":{{filters}}}"""));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0960")]
    [InlineData("rw-rw----")]
    [InlineData("07777")]
    public void Load_BadSocketMode_ClearError(string mode)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load($$$"""{"domains":["example.org"],"filterSocket":{"mode":"{{{mode}}}"}}"""));
        Assert.Contains("filterSocket.mode", error.Message, StringComparison.Ordinal);
    }
}
