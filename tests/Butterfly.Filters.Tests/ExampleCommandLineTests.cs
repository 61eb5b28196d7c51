using Butterfly.Filters.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Filters.Tests;

/// <summary>The example filters' command lines, run as real processes: --help, and exit code 2 for usage errors.</summary>
public sealed class ExampleCommandLineTests
{
    public static TheoryData<string, string[]> Helps => new()
    {
        { "Butterfly.Examples.SpamFilter", ["--socket", "--name", "--words", "--threshold", "--connections", "--pass"] },
        { "Butterfly.Examples.VacationFilter", ["--socket", "--name", "--accounts", "--state", "--message", "--period"] },
        { "Butterfly.Examples.ListFilter", ["--socket", "--name", "--list", "--members"] },
    };

    public static TheoryData<string, string[], string> UsageErrors => new()
    {
        { "Butterfly.Examples.SpamFilter", [], "Option '--socket' is required." },
        { "Butterfly.Examples.SpamFilter", ["--socket", "s", "--bogus"], "'--bogus'" },
        { "Butterfly.Examples.SpamFilter", ["--socket", "s", "--threshold", "high"], "'high'" },
        { "Butterfly.Examples.SpamFilter", ["--socket", "s", "--connections", "0"], "--connections needs a positive number" },
        { "Butterfly.Examples.SpamFilter", ["--socket", "s", "--words", "/nonexistent/words.txt"], "--words: " },
        { "Butterfly.Examples.SpamFilter", ["--socket", "s", "--words", "{bad-words}"], "expected 'word weight'" },
        { "Butterfly.Examples.VacationFilter", ["--socket", "s", "--accounts", "bob@example.org"], "Option '--state' is required." },
        { "Butterfly.Examples.VacationFilter", ["--socket", "s", "--accounts", ",", "--state", "{state}"], "--accounts needs at least one address" },
        { "Butterfly.Examples.VacationFilter", ["--socket", "s", "--accounts", "b@x", "--state", "{state}", "--period", "-5"], "--period needs a number of seconds" },
        { "Butterfly.Examples.VacationFilter", ["--socket", "s", "--accounts", "b@x", "--state", "{bad-state}"], "--state: " },
        { "Butterfly.Examples.ListFilter", ["--socket", "s", "--list", "nolist", "--members", "m.txt"], "--list needs an address such as list@example.org" },
        { "Butterfly.Examples.ListFilter", ["--socket", "s", "--list", "list@example.org"], "Option '--members' is required." },
    };

    [Theory]
    [MemberData(nameof(Helps))]
    public async Task Help_EachExample_ExitZeroAndEveryOptionListed(string example, string[] options)
    {
        await using var process = await StartAsync(example, ["--help"]);

        Assert.Equal(0, await process.WaitForExitAsync());
        Assert.All(options, o => Assert.Contains(o, process.Output, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task Main_UsageError_ExitTwoAndSaysWhat(string example, string[] args, string expected)
    {
        using var directory = new TempDirectory("bf-filter-cli");
        var badWords = directory.Combine("words.txt");
        await File.WriteAllTextAsync(badWords, "viagra 3\nno weight here at all\n");
        var badState = directory.Combine("bad-state.json");
        await File.WriteAllTextAsync(badState, "{ not json");
        string[] resolved = [.. args.Select(a => a
            .Replace("{bad-words}", badWords, StringComparison.Ordinal)
            .Replace("{bad-state}", badState, StringComparison.Ordinal)
            .Replace("{state}", directory.Combine("state.json"), StringComparison.Ordinal))];

        await using var process = await StartAsync(example, resolved);

        Assert.Equal(FilterCommandLine.UsageError, await process.WaitForExitAsync());
        Assert.Contains(expected, process.Output, StringComparison.Ordinal);
        Assert.Contains("--help", process.Output, StringComparison.Ordinal);
    }

    private static Task<FilterChildProcess> StartAsync(string example, string[] args)
    {
        var command = FilterCommand.DotNet(example);
        return FilterChildProcess.StartAsync(command.FileName, [.. command.Arguments, .. args], "unused", waitRegistered: false);
    }
}
