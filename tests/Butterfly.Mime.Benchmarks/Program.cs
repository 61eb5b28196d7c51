using BenchmarkDotNet.Running;
using Butterfly.Mime.Benchmarks;

// --quick: a fast non-BenchmarkDotNet check printing messages/s and MB/s.
// Anything else goes to BenchmarkDotNet (e.g. --filter '*').
if (args.Contains("--quick"))
{
    var seconds = double.TryParse(Environment.GetEnvironmentVariable("BUTTERFLY_BENCH_SECONDS"), out var s) ? s : 3;
    return QuickBench.Run(seconds);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(ParseBenchmarks).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
foreach (var summary in summaries)
{
    var mbox = new FileInfo(Corpus.Locate()).Length;
    foreach (var report in summary.Reports)
    {
        var mean = report.ResultStatistics?.Mean;
        if (mean is double ns && ns > 0)
        {
            var perSecond = 1e9 / ns;
            Console.WriteLine($"{report.BenchmarkCase.Descriptor.WorkloadMethod.Name,-24} {perSecond,12:N0} messages/s {perSecond * mbox / ParseBenchmarks.Messages / 1e6,10:N1} MB/s");
        }
    }
}

return 0;
