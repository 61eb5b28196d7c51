using System.CommandLine;
using System.CommandLine.Parsing;
using Butterfly.Filters;

namespace Butterfly.FilterProbe;

/// <summary>The probe's command line: the common filter options and the probe's own.</summary>
internal sealed class ProbeCommandLine
{
    public ProbeCommandLine()
    {
        Cli = new FilterCommandLine("probe", """
            A filter daemon for tests. A message's X-Probe-NAME or X-Probe field (JSON) dictates the
            verdict; see Instruction.cs.
            """);
        Stages = Cli.Add(new Option<string[]>("--stages")
        {
            Description = "comma-separated stages, \"\" for none",
            HelpName = "LIST",
            CustomParser = SplitList,
            DefaultValueFactory = _ => ["inbound"],
        });
        Claims = Cli.Add(new Option<string[]>("--claim") { Description = "claim an address (repeatable)", HelpName = "ADDR" });
        Actions = Cli.Add(new Option<string[]>("--actions")
        {
            Description = "declared actions",
            HelpName = "LIST",
            CustomParser = SplitList,
            DefaultValueFactory = _ => [.. FilterClientOptions.AllActions],
        });
        Connections = Cli.Add(new Option<int>("--connections") { Description = "connections to open", HelpName = "N", DefaultValueFactory = _ => 1 });
        MaxInFlight = Cli.Add(new Option<int>("--max-in-flight") { Description = "requests in flight per connection", HelpName = "N", DefaultValueFactory = _ => 16 });
        DelayMs = Cli.Add(new Option<int>("--delay-ms") { Description = "wait before every verdict", HelpName = "N" });
        ExitOnMessage = Cli.Add(new Option<bool>("--exit-on-message") { Description = "exit at once, without answering, when a message arrives" });
        Log = Cli.Add(new Option<string?>("--log") { Description = "append one JSON line per request", HelpName = "FILE" });
    }

    public FilterCommandLine Cli { get; }

    public Option<string[]> Stages { get; }

    public Option<string[]> Claims { get; }

    public Option<string[]> Actions { get; }

    public Option<int> Connections { get; }

    public Option<int> MaxInFlight { get; }

    public Option<int> DelayMs { get; }

    public Option<bool> ExitOnMessage { get; }

    public Option<string?> Log { get; }

    private static string[] SplitList(ArgumentResult result) =>
        [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
