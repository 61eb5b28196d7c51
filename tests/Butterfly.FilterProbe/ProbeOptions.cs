using System.Globalization;

namespace Butterfly.FilterProbe;

/// <summary>The probe's command line.</summary>
internal sealed class ProbeOptions
{
    public string Socket { get; private set; } = string.Empty;

    public string Name { get; private set; } = "probe";

    public List<string> Stages { get; private set; } = ["inbound"];

    public List<string> Claims { get; } = [];

    public List<string>? Actions { get; private set; }

    public int Connections { get; private set; } = 1;

    public int MaxInFlight { get; private set; } = 16;

    public int DelayMs { get; private set; }

    public bool ExitOnMessage { get; private set; }

    public string? Log { get; private set; }

    public const string Usage = """
        Butterfly.FilterProbe: a filter daemon for tests.
          --socket PATH        the server's filter socket (required)
          --name NAME          the filter name (default probe)
          --stages LIST        comma-separated stages, "" for none (default inbound)
          --claim ADDR         claim an address (repeatable)
          --actions LIST       declared actions (default all)
          --connections N      connections to open (default 1)
          --max-in-flight N    requests in flight per connection (default 16)
          --delay-ms N         wait before every verdict
          --exit-on-message    exit at once, without answering, when a message arrives
          --log FILE           append one JSON line per request
        A message's X-Probe-NAME or X-Probe field (JSON) dictates the verdict; see Instruction.cs.
        """;

    public static ProbeOptions Parse(string[] args)
    {
        var options = new ProbeOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--socket": options.Socket = Next(); break;
                case "--name": options.Name = Next(); break;
                case "--stages": options.Stages = Split(Next()); break;
                case "--claim": options.Claims.Add(Next()); break;
                case "--actions": options.Actions = Split(Next()); break;
                case "--connections": options.Connections = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--max-in-flight": options.MaxInFlight = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--delay-ms": options.DelayMs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--exit-on-message": options.ExitOnMessage = true; break;
                case "--log": options.Log = Next(); break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        return options.Socket.Length == 0 ? throw new ArgumentException("--socket is required") : options;
    }

    private static List<string> Split(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
