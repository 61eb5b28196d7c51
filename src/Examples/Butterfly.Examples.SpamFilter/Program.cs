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
                var score = scorer.Score(message);
                var verdict = score >= options.Threshold ? Verdict.Quarantine("Junk") : Verdict.Accept();
                return ValueTask.FromResult(verdict.AddHeader("X-Spam-Score", SpamScorer.Format(score)));
            };

        return await FilterConsole.RunAsync(client, handler);
    }
}
