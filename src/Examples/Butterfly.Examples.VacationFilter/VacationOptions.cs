using System.Globalization;

namespace Butterfly.Examples.VacationFilter;

/// <summary>The command line of the vacation filter.</summary>
internal sealed class VacationOptions
{
    public const string Usage =
        """
        usage: Butterfly.Examples.VacationFilter --socket PATH --accounts A[,B...] --state FILE
                                                 [--message TEXT] [--period SECONDS] [--name NAME]

        Answers mail to the listed accounts with an automatic reply, each sender at most once per
        period. No reply to auto-submitted mail, bulk or list mail, or bounces (RFC 3834).

          --socket PATH      the daemon's filter socket (filterSocket.path in butterfly.json)
          --accounts LIST    the local addresses on vacation, comma-separated
          --state FILE       JSON file of who was answered when (created when absent)
          --message TEXT     the reply's text (default "I am away and will read your message when I am back.")
          --period SECONDS   answer each sender at most once in this time (default 604800, a week)
          --name NAME        this filter's name in butterfly.json "filters" (default vacation)
        """;

    public string Socket { get; private set; } = "";

    public HashSet<string> Accounts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string State { get; private set; } = "";

    public string Message { get; private set; } = "I am away and will read your message when I am back.";

    public TimeSpan Period { get; private set; } = TimeSpan.FromDays(7);

    public string Name { get; private set; } = "vacation";

    public bool Help { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static VacationOptions Parse(string[] args)
    {
        var options = new VacationOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--socket":
                    options.Socket = Value(args, ref i);
                    break;
                case "--accounts":
                    foreach (var account in Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        options.Accounts.Add(account);
                    }

                    break;
                case "--state":
                    options.State = Value(args, ref i);
                    break;
                case "--message":
                    options.Message = Value(args, ref i);
                    break;
                case "--period":
                    options.Period = double.TryParse(Value(args, ref i), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                        ? TimeSpan.FromSeconds(seconds) : throw new ArgumentException("--period needs a number of seconds");
                    break;
                case "--name":
                    options.Name = Value(args, ref i);
                    break;
                case "--help" or "-h":
                    options.Help = true;
                    break;
                default:
                    throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (!options.Help && (options.Socket.Length == 0 || options.State.Length == 0 || options.Accounts.Count == 0))
        {
            throw new ArgumentException("--socket, --accounts and --state are required");
        }

        return options;
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");
}
