using System.Diagnostics;
using Xunit;

namespace Butterfly.Cli.Tests;

/// <summary>Shell completion: System.CommandLine's [suggest] directive, and the bash function the README gives.</summary>
public sealed class CompletionTests
{
    private static async Task<string[]> SuggestAsync(string line)
    {
        var run = await new CliHarness().RunAsync($"[suggest:{line.Length}]", line);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task Suggest_PartialCommand_CompletesIt()
    {
        Assert.Equal(["folder", "folders"], await SuggestAsync("butterfly fol"));
    }

    [Fact]
    public async Task Suggest_Group_ListsItsCommands()
    {
        var words = await SuggestAsync("butterfly user ");

        Assert.Equal(["add", "del", "list", "passwd"], words.Where(w => !w.StartsWith('-')));
        Assert.DoesNotContain("/?", words);
    }

    [Fact]
    public async Task Suggest_OptionName_CompletesIt()
    {
        Assert.Equal(["--keep-unseen"], await SuggestAsync("butterfly read 3 --ke"));
    }

    [Fact]
    public async Task Suggest_FlagValue_ListsTheFlags()
    {
        Assert.Equal(["answered", "draft", "flagged", "seen"], await SuggestAsync("butterfly flag 3 --add "));
    }

    [Fact]
    public async Task ReadmeBashFunction_RealShell_CompletesCommands()
    {
        var script = ReadmeCompletionScript();
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--norc");
        info.ArgumentList.Add("--noprofile");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(
            script + "\n"
            + "COMP_LINE='butterfly folder cr'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(butterfly folder cr); COMP_CWORD=2\n"
            + "_butterfly_complete; printf '%s\\n' \"${COMPREPLY[@]}\"\n"
            + "COMP_LINE='butterfly fol'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(butterfly fol); COMP_CWORD=1\n"
            + "_butterfly_complete; printf '%s\\n' \"${COMPREPLY[@]}\"\n"
            + "complete -p butterfly\n");

        // The README puts the build folder on PATH; the test's output folder holds the same executable.
        info.Environment["PATH"] = AppContext.BaseDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Equal(
            "create\nfolder\nfolders\ncomplete -o default -F _butterfly_complete butterfly\n",
            (await stdout).ReplaceLineEndings("\n"));
    }

    /// <summary>The first code block of the README's "Shell completion" section, as a user would paste it.</summary>
    private static string ReadmeCompletionScript()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Butterfly.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var lines = File.ReadAllLines(Path.Combine(directory.FullName, "README.md"));
        var section = Array.IndexOf(lines, "## Shell completion");
        Assert.True(section >= 0, "README.md has no '## Shell completion' section");
        var start = Array.FindIndex(lines, section, l => l.StartsWith("```", StringComparison.Ordinal)) + 1;
        var end = Array.FindIndex(lines, start, l => l.StartsWith("```", StringComparison.Ordinal));
        return string.Join('\n', lines[start..end]);
    }
}
