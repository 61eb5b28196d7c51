using System.Diagnostics;

namespace Butterfly.Mime.Benchmarks;

/// <summary>A fast check without BenchmarkDotNet: a warm-up, then the best of a few timed rounds.</summary>
internal static class QuickBench
{
    public static int Run(double seconds)
    {
        var mbox = Corpus.LoadMbox();
        var messages = Corpus.LoadMessages(mbox);
        long messageBytes = messages.Sum(m => (long)m.Length);
        Console.WriteLine($"corpus: {Corpus.Locate()} ({mbox.Length:N0} bytes, {messages.Length} messages)");
        Check(messages);
        var scanner = Measure("per message", messages.Length, messageBytes, seconds, () => Workloads.PerMessage(messages));
        Measure("mbox stream", messages.Length, mbox.Length, seconds, () => Workloads.MboxStream(mbox));
        Measure("per message + summary fields", messages.Length, messageBytes, seconds, () => Workloads.PerMessageWithSummary(messages));
        var mimeKit = Measure("MimeKit per message", messages.Length, messageBytes, seconds, () => Workloads.MimeKitPerMessage(messages));
        Console.WriteLine($"scanner / MimeKit, messages per CPU-second: {scanner / mimeKit:0.00}x (issue 16's target: 3x or more)");
        return 0;
    }

    /// <summary>Makes sure the numbers measure real work: every message parses into its full tree.</summary>
    private static void Check(ReadOnlyMemory<byte>[] messages)
    {
        int entities = 0, errors = 0, attachments = 0;
        foreach (var m in messages)
        {
            if (MimeMessage.TryParse(m, ParserOptions.Default, out var message) != MimeError.None)
            {
                errors++;
                continue;
            }

            var stack = new Stack<MimeEntity>();
            stack.Push(message!.Body);
            while (stack.Count > 0)
            {
                var e = stack.Pop();
                entities++;
                foreach (var c in e.Children)
                {
                    stack.Push(c);
                }
            }

            attachments += message.GetAttachments().Count;
        }

        Console.WriteLine($"check: {errors} errors, {entities:N0} entities, {attachments:N0} attachments");
    }

    /// <summary>Runs <paramref name="work"/> for about <paramref name="seconds"/>, prints its rates, and returns its messages per CPU-second.</summary>
    private static double Measure(string name, int count, long bytes, double seconds, Func<int> work)
    {
        // Warm up (tiered JIT).
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < Math.Min(1.0, seconds / 2))
        {
            work();
        }

        double best = double.MaxValue;
        int rounds = 0;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || rounds < 3)
        {
            var sw = Stopwatch.StartNew();
            work();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
            rounds++;
        }

        // CPU time is less disturbed than wall time on a shared machine (it includes GC and JIT threads).
        process.Refresh();
        var cpuPerPass = (process.TotalProcessorTime - cpuBefore).TotalSeconds / rounds;
        var wallPerPass = total.Elapsed.TotalSeconds / rounds;
        Console.WriteLine($"{name,-30} best {count / best,9:N0} msg/s {bytes / best / 1e6,7:N1} MB/s | mean {count / wallPerPass,9:N0} msg/s | per CPU-second {count / cpuPerPass,9:N0} msg/s {bytes / cpuPerPass / 1e6,7:N1} MB/s ({rounds} rounds)");
        return count / cpuPerPass;
    }
}
