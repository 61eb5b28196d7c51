using System.Runtime.InteropServices;
using Butterfly.Filters;

namespace Butterfly.Examples.SpamFilter;

/// <summary>
/// Example filter: a spam-word scorer on the inbound stage. Every message gets an
/// <c>X-Spam-Score</c> header field; one at or above the threshold is quarantined to Junk
/// (protocol/filter.md, "Verdicts": quarantine and header edits in one verdict).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        SpamOptions options;
        SpamScorer scorer;
        try
        {
            options = SpamOptions.Parse(args);
            if (options.Help)
            {
                Console.WriteLine(SpamOptions.Usage);
                return 0;
            }

            scorer = SpamScorer.Load(options.Words);
        }
        catch (Exception e) when (e is ArgumentException or IOException or FormatException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"spam filter: {e.Message}");
            Console.Error.WriteLine(SpamOptions.Usage);
            return 2;
        }

        var client = new FilterClientOptions
        {
            SocketPath = options.Socket,
            Name = options.Name,
            Stages = ["inbound"],
            Actions = ["accept", "quarantine", "headers"],
            Connections = options.Connections,
        };

        // A pass-through filter answers without parsing: it measures what the socket round trip costs.
        FilterHandler handler = options.Pass
            ? static (_, _, _) => ValueTask.FromResult(Verdict.Accept())
            : (message, _, _) =>
            {
                var score = scorer.Score(message.Parse());
                var verdict = score >= options.Threshold ? Verdict.Quarantine("Junk") : Verdict.Accept();
                return ValueTask.FromResult(verdict.AddHeader("X-Spam-Score", SpamScorer.Format(score)));
            };

        return await RunAsync(client, handler);
    }

    private static async Task<int> RunAsync(FilterClientOptions client, FilterHandler handler)
    {
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, stop));
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, stop));
        var announced = 0;
        FilterHost.Registered += _ =>
        {
            if (Interlocked.Exchange(ref announced, 1) == 0)
            {
                Console.WriteLine($"filter {client.Name}: registered");
            }
        };
        try
        {
            await FilterHost.RunAsync(client, handler, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // SIGTERM: a clean exit.
        }
        catch (FilterRegistrationException e)
        {
            Console.Error.WriteLine($"filter {client.Name}: registration refused: {e.Message}");
            return 1;
        }

        return 0;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
