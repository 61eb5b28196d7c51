namespace Butterfly.Examples.ListFilter;

/// <summary>The command line of the list filter.</summary>
internal sealed class ListOptions
{
    public const string Usage =
        """
        usage: Butterfly.Examples.ListFilter --socket PATH --list ADDRESS --members FILE [--name NAME]

        A Thwonk-style mailing list: claims the list address; every post from a member is sent to
        each member as a copy with List-Id, Reply-To the list, "[list]" before the subject and the
        text cut to 140 characters; the original is discarded. A message whose subject is
        "subscribe" or "unsubscribe" adds or removes its sender.

          --socket PATH    the daemon's filter socket (filterSocket.path in butterfly.json)
          --list ADDRESS   the list address to claim (not an account)
          --members FILE   the members, one address per line (created when absent)
          --name NAME      this filter's name in butterfly.json "filters" (default list)
        """;

    public string Socket { get; private set; } = "";

    public string List { get; private set; } = "";

    public string Members { get; private set; } = "";

    public string Name { get; private set; } = "list";

    public bool Help { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static ListOptions Parse(string[] args)
    {
        var options = new ListOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--socket":
                    options.Socket = Value(args, ref i);
                    break;
                case "--list":
                    options.List = Value(args, ref i);
                    break;
                case "--members":
                    options.Members = Value(args, ref i);
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

        if (!options.Help)
        {
            if (options.Socket.Length == 0 || options.Members.Length == 0)
            {
                throw new ArgumentException("--socket and --members are required");
            }

            var at = options.List.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0 || at == options.List.Length - 1)
            {
                throw new ArgumentException("--list needs an address such as list@example.org");
            }
        }

        return options;
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");
}
