using System.Globalization;

namespace Butterfly.Cli.Arguments;

/// <summary>The positionals and options found on a command line.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, List<string>> _values;
    private readonly HashSet<string> _flags;

    public ParsedArguments(IReadOnlyList<string> positionals, Dictionary<string, List<string>> values, HashSet<string> flags)
    {
        Positionals = positionals;
        _values = values;
        _flags = flags;
    }

    /// <summary>Arguments that are not options, in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>True when the flag or option was given.</summary>
    public bool Has(string name) => _flags.Contains(name) || _values.ContainsKey(name);

    /// <summary>The value of a single-valued option, or null.</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    /// <summary>All values of a repeatable option, in order.</summary>
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];

    /// <summary>An integer option within bounds, or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="UsageException">The value is not an integer in range.</exception>
    public long Int64(string name, long fallback, long min = long.MinValue, long max = long.MaxValue)
    {
        var text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException(max == long.MaxValue
                ? $"--{name} needs a whole number of at least {min}, not '{text}'."
                : $"--{name} needs a whole number from {min} to {max}, not '{text}'.");
        }

        return value;
    }

    /// <summary>A positive number of seconds (fractions allowed), or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="UsageException">The value is not a number in range.</exception>
    public double Seconds(string name, double fallback, double min = 0)
    {
        var text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value < min || value > 86_400)
        {
            throw new UsageException($"--{name} needs a number of seconds of at least {min}, not '{text}'.");
        }

        return value;
    }

    /// <summary>Positional arguments parsed as message ids.</summary>
    /// <exception cref="UsageException">One is not a positive integer.</exception>
    public IReadOnlyList<long> Ids(int start = 0)
    {
        var ids = new List<long>();
        for (var i = start; i < Positionals.Count; i++)
        {
            if (!long.TryParse(Positionals[i], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                throw new UsageException($"'{Positionals[i]}' is not a message id (a positive whole number).");
            }

            ids.Add(id);
        }

        return ids;
    }
}
