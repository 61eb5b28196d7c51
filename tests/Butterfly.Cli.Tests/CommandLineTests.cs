using Butterfly.Protocol;
using Xunit;

namespace Butterfly.Cli.Tests;

/// <summary>Help, usage errors and exit codes, as System.CommandLine parses them for every command.</summary>
public sealed class CommandLineTests
{
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var words in CliHarness.LeafCommands())
        {
            data.Add(string.Join(' ', words));
        }

        return data;
    }

    [Fact]
    public async Task Help_Root_ListsEveryCommandGroup()
    {
        var run = await new CliHarness().RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var words in CliHarness.LeafCommands())
        {
            Assert.Contains("  " + words[0] + " ", run.Out, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_EveryCommand_ExitsZeroWithUsage(string command)
    {
        foreach (var help in new[] { "--help", "-h" })
        {
            var run = await new CliHarness().RunAsync([.. command.Split(' '), help]);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
            Assert.Contains($" {command} ", run.Out, StringComparison.Ordinal);
            Assert.Equal(string.Empty, run.Error);
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task UnknownOption_EveryCommand_ExitsTwo(string command)
    {
        var run = await new CliHarness().RunAsync([.. command.Split(' '), "--bogus"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: usage: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("'--bogus'", run.Error, StringComparison.Ordinal);
        Assert.EndsWith($"see: butterfly {command} --help\n", run.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("user", "frobnicate")]
    [InlineData("list", "--bogus")]
    [InlineData("list", "--limit", "0")]
    [InlineData("list", "--limit", "many")]
    [InlineData("list", "--before")]
    [InlineData("read")]
    [InlineData("read", "abc")]
    [InlineData("read", "0")]
    [InlineData("read", "3", "4")]
    [InlineData("read", "3", "--folder")]
    [InlineData("move", "3")]
    [InlineData("move", "3", "--to", "")]
    [InlineData("move", "3", "--to", "  ")]
    [InlineData("copy", "x", "--to", "Archive")]
    [InlineData("flag", "3", "--add", "shiny")]
    [InlineData("flag", "3")]
    [InlineData("send", "--to", "b@example.org")]
    [InlineData("send", "--body", "hi")]
    [InlineData("send", "--file", "x.eml", "--body", "text", "--to", "b@c.d")]
    [InlineData("send", "--to", "b@c.d", "--body", "-", "--password-stdin")]
    [InlineData("send", "--file", "-", "--password-stdin")]
    [InlineData("folder", "create", "")]
    [InlineData("queue", "drop", "-1")]
    [InlineData("bench", "ping", "--count", "10", "--duration", "2")]
    [InlineData("bench", "ping", "--engine", "turbo")]
    [InlineData("bench", "relay", "--to", "b@example.org")]
    public async Task BadUsage_ExitsTwoWithUsageError(params string[] args)
    {
        var run = await new CliHarness().Env("BUTTERFLY_USER", "a@b.c").Env("BUTTERFLY_PASSWORD", "x").RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: usage: ", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task Move_EmptyTarget_SaysWhichOption()
    {
        var run = await new CliHarness().RunAsync("move", "9", "--to", "");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: usage: --to must not be empty.\nsee: butterfly move --help\n", run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task NoCommand_ExitsTwoWithHelpOnStderr()
    {
        var run = await new CliHarness().RunAsync();

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: usage: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("Commands:", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task GroupAlone_ExitsTwoListingItsCommands()
    {
        var run = await new CliHarness().RunAsync("user");

        Assert.Equal(2, run.ExitCode);
        foreach (var sub in new[] { "add", "list", "passwd", "del" })
        {
            Assert.Contains("  " + sub, run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_PrintsTheBuildVersion()
    {
        var run = await new CliHarness().RunAsync("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"butterfly {ButterflyVersion.Current}\n", run.Out.ReplaceLineEndings("\n"));
        Assert.Matches(@"^\d+\.\d+\.\d+$", ButterflyVersion.Current);
    }

    [Fact]
    public async Task NoUser_ExitsTwoNamingTheWays()
    {
        var run = await new CliHarness().RunAsync("folders");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--user ADDRESS or set BUTTERFLY_USER", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserAdd_NoPassword_NamesTheOptionsItHas()
    {
        using var directory = new Butterfly.TestUtilities.TempDirectory("butterfly-cli");

        var run = await new CliHarness { Stdin = "" }.RunAsync("user", "add", "alice@example.org", "--data", directory.Path, "--domain", "example.org");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: usage: no password given: use --password-stdin or the prompt (in a terminal).\n", run.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("--password ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCommand_NoPassword_NamesTheOptionsItHas()
    {
        var run = await new CliHarness { Stdin = "" }.Env("BUTTERFLY_USER", "a@example.org").RunAsync("folders");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(
            "error: usage: no password given: use --password-stdin, --password PASS, BUTTERFLY_PASSWORD or the prompt (in a terminal).",
            run.Error,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendHelp_SubjectIsOptional()
    {
        var run = await new CliHarness().RunAsync("send", "--help");

        var usage = run.Out.ReplaceLineEndings("\n").Split('\n').SkipWhile(l => l != "Usage:").Skip(1).First();
        Assert.DoesNotContain("--subject", usage, StringComparison.Ordinal);
        var subject = run.Out.ReplaceLineEndings("\n").Split('\n').Single(l => l.TrimStart().StartsWith("--subject", StringComparison.Ordinal));
        Assert.DoesNotContain("REQUIRED", subject, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("optional", subject, StringComparison.Ordinal);
    }
}
