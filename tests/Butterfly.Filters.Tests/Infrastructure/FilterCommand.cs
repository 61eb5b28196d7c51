namespace Butterfly.Filters.Tests.Infrastructure;

/// <summary>How to launch a filter: a program and its first arguments.</summary>
internal sealed record FilterCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>An example built in C#: its dll sits beside the tests (the test project references it).</summary>
    public static FilterCommand DotNet(string assembly)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
        return File.Exists(path)
            ? new FilterCommand("dotnet", [path])
            : throw new FileNotFoundException($"{assembly}.dll is not beside the tests; reference its project.", path);
    }

    /// <summary>The Python example, run by python3 from PATH (CI installs it: .ci/run).</summary>
    public static FilterCommand Python(string script)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "python", script);
        var python = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "python3"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("python3 is not on PATH: the Python example filter cannot run (.ci/run installs it).");
        return new FilterCommand(python, [path]);
    }

    /// <summary>The spam filter in the language named: "csharp" or "python".</summary>
    public static FilterCommand Spam(string language) => language switch
    {
        "csharp" => DotNet("Butterfly.Examples.SpamFilter"),
        "python" => Python("spam_filter.py"),
        _ => throw new ArgumentOutOfRangeException(nameof(language), language, "csharp or python"),
    };

    public override string ToString() => string.Join(' ', [FileName, .. Arguments]);
}
