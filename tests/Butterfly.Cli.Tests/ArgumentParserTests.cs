using Butterfly.Cli.Arguments;
using Xunit;

namespace Butterfly.Cli.Tests;

public sealed class ArgumentParserTests
{
    private static readonly OptionSpec[] _options =
    [
        OptionSpec.Value("folder", "NAME", ""),
        OptionSpec.List("to", "ADDRESS", ""),
        OptionSpec.Flag("json", ""),
        OptionSpec.Value("limit", "N", ""),
    ];

    [Fact]
    public void Parse_MixedPositionalsAndOptions_SplitsThem()
    {
        var parsed = ArgumentParser.Parse(["3", "--folder", "Work", "5", "--json", "--to=a@x.org", "--to", "b@x.org"], _options);

        Assert.Equal(["3", "5"], parsed.Positionals);
        Assert.Equal("Work", parsed.Value("folder"));
        Assert.True(parsed.Has("json"));
        Assert.Equal(["a@x.org", "b@x.org"], parsed.Values("to"));
        Assert.Equal([3L, 5L], parsed.Ids());
    }

    [Fact]
    public void Parse_DoubleDash_EndsOptions()
    {
        var parsed = ArgumentParser.Parse(["--json", "--", "--folder", "-x"], _options);

        Assert.Equal(["--folder", "-x"], parsed.Positionals);
        Assert.Null(parsed.Value("folder"));
    }

    [Fact]
    public void Parse_InlineEmptyValue_IsKept()
    {
        var parsed = ArgumentParser.Parse(["--folder="], _options);

        Assert.Equal("", parsed.Value("folder"));
    }

    [Fact]
    public void Parse_DashAlone_IsPositional()
    {
        Assert.Equal(["-"], ArgumentParser.Parse(["-"], _options).Positionals);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("-x")]
    [InlineData("--json=yes")]
    [InlineData("--folder")]
    public void Parse_Invalid_ThrowsUsage(string arg)
    {
        Assert.Throws<UsageException>(() => ArgumentParser.Parse([arg], _options));
    }

    [Fact]
    public void Parse_SingleValuedTwice_ThrowsUsage()
    {
        Assert.Throws<UsageException>(() => ArgumentParser.Parse(["--folder", "a", "--folder", "b"], _options));
    }

    [Fact]
    public void Parse_HelpAnywhere_IsAFlag()
    {
        Assert.True(ArgumentParser.Parse(["x", "-h"], _options).Has("help"));
        Assert.True(ArgumentParser.WantsHelp(["x", "--help"]));
        Assert.False(ArgumentParser.WantsHelp(["--", "--help"]));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("ten")]
    public void Int64_OutOfRange_ThrowsUsage(string value)
    {
        var parsed = ArgumentParser.Parse(["--limit", value], _options);

        Assert.Throws<UsageException>(() => parsed.Int64("limit", 50, 1, 500));
    }

    [Fact]
    public void Int64_Absent_ReturnsFallback()
    {
        Assert.Equal(50, ArgumentParser.Parse([], _options).Int64("limit", 50, 1, 500));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("3x")]
    public void Ids_NotPositive_ThrowsUsage(string id)
    {
        Assert.Throws<UsageException>(() => ArgumentParser.Parse([id], _options).Ids());
    }
}
