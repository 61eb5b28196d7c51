using BenchmarkDotNet.Running;
using Butterfly.Scripting.Benchmarks;

// --memory: memory per cached PreparedScript (a heap measurement, not a BenchmarkDotNet run).
// --loop N: N pass-through runs in a plain loop, for a profiler (dotnet-trace, perf).
if (Array.IndexOf(args, "--loop") is var loop and >= 0)
{
    PassThroughLoop.Run(loop + 1 < args.Length ? int.Parse(args[loop + 1], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
    return 0;
}

// Anything else goes to BenchmarkDotNet, e.g. --filter '*' --job short.
if (args.Contains("--memory"))
{
    CachedScriptMemory.Report();
    return 0;
}

// Always in process: BenchmarkDotNet's generated project would take the repository's central pins (0.14.0 and
// older dependencies) instead of this project's overrides, and fail to restore.
string[] arguments = [.. args.Length == 0 ? ["--filter", "*"] : args, .. args.Contains("--inProcess") ? Array.Empty<string>() : ["--inProcess"]];
var summaries = BenchmarkSwitcher.FromAssembly(typeof(RunBenchmarks).Assembly).Run(arguments);
foreach (var report in summaries.SelectMany(summary => summary.Reports))
{
    if (report.ResultStatistics?.Mean is double ns && ns > 0)
    {
        Console.WriteLine($"{report.BenchmarkCase.Descriptor.WorkloadMethod.Name,-32} {ns / 1000,10:N1} µs  {1e9 / ns,10:N0} per second (one core)");
    }
}

return 0;
