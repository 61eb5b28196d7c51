using System.Globalization;

namespace Butterfly.Examples.SpamFilter;

/// <summary>The command line of the spam filter.</summary>
internal sealed class SpamOptions
{
    public const string Usage =
        """
        usage: Butterfly.Examples.SpamFilter --socket PATH [--name NAME] [--words FILE] [--threshold N]
                                             [--connections N] [--pass]

        Scores each inbound message by its words, adds "X-Spam-Score: N" and quarantines it to
        Junk when the score is at least the threshold.

          --socket PATH      the daemon's filter socket (filterSocket.path in butterfly.json)
          --name NAME        this filter's name in butterfly.json "filters" (default spam)
          --words FILE       "word weight" lines added to the built-in list ("#" comments)
          --threshold N      quarantine at this score or above (default 5)
          --connections N    connections to open (the server spreads messages over them; default 1)
          --pass             accept every message untouched, without reading it (for benchmarks)
        """;

    public string Socket { get; private set; } = "";

    public string Name { get; private set; } = "spam";

    public string? Words { get; private set; }

    public double Threshold { get; private set; } = 5;

    public int Connections { get; private set; } = 1;

    public bool Pass { get; private set; }

    public bool Help { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static SpamOptions Parse(string[] args)
    {
        var options = new SpamOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--socket":
                    options.Socket = Value(args, ref i);
                    break;
                case "--name":
                    options.Name = Value(args, ref i);
                    break;
                case "--words":
                    options.Words = Value(args, ref i);
                    break;
                case "--threshold":
                    options.Threshold = double.TryParse(Value(args, ref i), NumberStyles.Float, CultureInfo.InvariantCulture, out var t)
                        ? t : throw new ArgumentException("--threshold needs a number");
                    break;
                case "--connections":
                    options.Connections = int.TryParse(Value(args, ref i), CultureInfo.InvariantCulture, out var c) && c > 0
                        ? c : throw new ArgumentException("--connections needs a positive number");
                    break;
                case "--pass":
                    options.Pass = true;
                    break;
                case "--help" or "-h":
                    options.Help = true;
                    break;
                default:
                    throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (!options.Help && options.Socket.Length == 0)
        {
            throw new ArgumentException("--socket is required");
        }

        return options;
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");
}
