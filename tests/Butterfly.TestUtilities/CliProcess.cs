using System.Diagnostics;

namespace Butterfly.TestUtilities;

/// <summary>Runs the <c>butterfly</c> command-line tool as a real process.</summary>
public static class CliProcess
{
    /// <summary>The butterfly.dll copied next to the test assembly (test projects reference the CLI project).</summary>
    public static string AssemblyPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "butterfly.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("butterfly.dll is not beside the tests; reference src/Butterfly.Cli.", path);
        }
    }

    /// <summary>A start description for <c>dotnet butterfly.dll ARGS</c> with redirected streams.</summary>
    /// <param name="args">The arguments.</param>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(AssemblyPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The CLI reads these; tests pass what they mean explicitly.
        info.Environment.Remove("BUTTERFLY_SERVER");
        info.Environment.Remove("BUTTERFLY_USER");
        info.Environment.Remove("BUTTERFLY_PASSWORD");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return info;
    }

    /// <summary>Runs the CLI to completion.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdin">Text for standard input, or null.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="workingDirectory">The working folder.</param>
    public static async Task<CliResult> RunAsync(
        IEnumerable<string> args,
        string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var info = StartInfo(args);
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
