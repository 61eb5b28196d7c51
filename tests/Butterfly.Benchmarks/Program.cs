using BenchmarkDotNet.Running;
using Butterfly.Benchmarks;

// BenchmarkDotNet over the hot code: frames, heads and replies, the group commit. The MIME scanner
// against MimeKit is in tests/Butterfly.Mime.Benchmarks (--quick prints messages per CPU-second).
// e.g. --filter '*' --job short; --filter '*Frame*'.
// Always in process, as Butterfly.Scripting.Benchmarks: BenchmarkDotNet's generated project would
// take the repository's central pins (0.14.0 and older dependencies) instead of this project's overrides.
string[] arguments = [.. args.Length == 0 ? ["--filter", "*"] : args, .. args.Contains("--inProcess") ? Array.Empty<string>() : ["--inProcess"]];
var summaries = BenchmarkSwitcher.FromAssembly(typeof(FrameBenchmarks).Assembly).Run(arguments);
foreach (var report in summaries.SelectMany(summary => summary.Reports))
{
    if (report.ResultStatistics?.Mean is not double ns || ns <= 0)
    {
        continue;
    }

    var name = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
    if (report.BenchmarkCase.Parameters["Concurrency"] is int concurrency)
    {
        var perDelivery = ns / concurrency;
        Console.WriteLine($"{name + " x" + concurrency,-28} {perDelivery / 1000,10:N1} µs per delivery {1e9 / perDelivery,10:N0} deliveries/s");
    }
    else
    {
        Console.WriteLine($"{name,-28} {ns,10:N1} ns {1e9 / ns,14:N0} per second (one core)");
    }
}

return 0;
