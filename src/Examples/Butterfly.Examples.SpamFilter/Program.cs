using System.CommandLine;
using Butterfly.Filters;

namespace Butterfly.Examples.SpamFilter;

/// <summary>
/// Example filter: a spam-word scorer on the inbound stage. Every message gets an
/// <c>X-Spam-Score</c> header field; one at or above the threshold is quarantined to Junk
/// (protocol/filter.md, "Verdicts": quarantine and header edits in one verdict).
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var cli = new FilterCommandLine("spam", """
            Scores each inbound message by its words, adds "X-Spam-Score: N" and quarantines it to
            Junk when the score is at least the threshold.
            """);
        var words = cli.Add(new Option<SpamScorer>("--words")
        {
            Description = "\"word weight\" lines added to the built-in list (\"#\" comments)",
            HelpName = "FILE",
            CustomParser = FilterCommandLine.FileParser(SpamScorer.Load),
        });
        var threshold = cli.Add(new Option<double>("--threshold")
        {
            Description = "quarantine at this score or above",
            HelpName = "N",
            DefaultValueFactory = _ => 5,
        });
        var connections = cli.Add(new Option<int>("--connections")
        {
            Description = "connections to open (the server spreads messages over them)",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        });
        connections.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--connections needs a positive number");
            }
        });
        var pass = cli.Add(new Option<bool>("--pass") { Description = "accept every message untouched, without reading it (for benchmarks)" });

        return cli.RunAsync(args, (result, client) =>
        {
            client.Stages = ["inbound"];
            client.Actions = ["accept", "quarantine", "headers"];
            client.Connections = result.GetValue(connections);
            if (result.GetValue(pass))
            {
                // A pass-through filter answers without parsing: it measures what the socket round trip costs.
                return static (_, _, _) => ValueTask.FromResult(Verdict.Accept());
            }

            var scorer = result.GetValue(words) ?? SpamScorer.Load(null);
            var limit = result.GetValue(threshold);
            return (message, _, _) =>
            {
                var score = scorer.Score(message);
                var verdict = score >= limit ? Verdict.Quarantine("Junk") : Verdict.Accept();
                return ValueTask.FromResult(verdict.AddHeader("X-Spam-Score", SpamScorer.Format(score)));
            };
        });
    }
}
