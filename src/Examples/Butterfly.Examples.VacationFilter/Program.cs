using System.CommandLine;
using System.CommandLine.Parsing;
using Butterfly.Filters;

namespace Butterfly.Examples.VacationFilter;

/// <summary>
/// Example filter: a vacation responder on the inbound stage. It accepts every message and
/// injects an automatic reply from each vacationing recipient, once per sender and period.
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var cli = new FilterCommandLine("vacation", """
            Answers mail to the listed accounts with an automatic reply, each sender at most once per
            period. No reply to auto-submitted mail, bulk or list mail, or bounces (RFC 3834).
            """);
        var accounts = cli.Add(new Option<string[]>("--accounts")
        {
            Description = "the local addresses on vacation, comma-separated",
            HelpName = "LIST",
            Required = true,
            CustomParser = SplitAccounts,
        });
        var state = cli.Add(new Option<VacationState>("--state")
        {
            Description = "JSON file of who was answered when (created when absent)",
            HelpName = "FILE",
            Required = true,
            CustomParser = FilterCommandLine.FileParser(VacationState.Open),
        });
        var message = cli.Add(new Option<string>("--message")
        {
            Description = "the reply's text",
            HelpName = "TEXT",
            DefaultValueFactory = _ => "I am away and will read your message when I am back.",
        });
        var period = cli.Add(new Option<double>("--period")
        {
            Description = "answer each sender at most once in this many seconds (604800: a week)",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => TimeSpan.FromDays(7).TotalSeconds,
        });
        period.Validators.Add(r =>
        {
            var seconds = r.GetValueOrDefault<double>();
            if (seconds < 0 || !double.IsFinite(seconds))
            {
                r.AddError("--period needs a number of seconds, 0 or more");
            }
        });

        return cli.RunAsync(args, (result, client) =>
        {
            client.Stages = ["inbound"];
            client.Actions = ["accept", "inject"];
            var handler = new VacationHandler(
                new HashSet<string>(result.GetRequiredValue(accounts), StringComparer.OrdinalIgnoreCase),
                result.GetRequiredValue(message),
                TimeSpan.FromSeconds(result.GetValue(period)),
                result.GetRequiredValue(state),
                TimeProvider.System);
            return handler.HandleAsync;
        });
    }

    private static string[] SplitAccounts(ArgumentResult result)
    {
        string[] accounts = [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
        if (accounts.Length == 0)
        {
            result.AddError("--accounts needs at least one address");
        }

        return accounts;
    }
}
