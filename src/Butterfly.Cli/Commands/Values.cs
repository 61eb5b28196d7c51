using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Butterfly.Cli.Commands;

/// <summary>
/// Arguments and options with the CLI's own checks and messages: a bad value is a parse error
/// (exit code 2) that names the option and the value, before anything connects.
/// </summary>
internal static class Values
{
    /// <summary>Message ids: one or more positive whole numbers.</summary>
    public static Argument<long[]> MessageIds(string description) => new("ID")
    {
        Description = description,
        Arity = ArgumentArity.OneOrMore,
        CustomParser = result => [.. result.Tokens.Select(t => MessageId(result, t.Value))],
    };

    /// <summary>One message id.</summary>
    public static Argument<long> OneMessageId(string description) => new("ID")
    {
        Description = description,
        CustomParser = result => result.Tokens.Count == 0 ? 0 : MessageId(result, result.Tokens[0].Value),
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, <paramref name="fallback"/> when absent.</summary>
    public static Option<long> WholeNumber(string name, string description, long fallback, long min, long max = long.MaxValue) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => fallback,
        CustomParser = result => result.Tokens.Count == 0 ? fallback : Number(result, min, max),
    };

    /// <summary>A whole number of at least <paramref name="min"/>, or null when absent.</summary>
    public static Option<long?> OptionalWholeNumber(string name, string helpName, string description, long min) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => result.Tokens.Count == 0 ? null : Number(result, min, long.MaxValue),
    };

    /// <summary>A number of seconds (fractions allowed) of at least <paramref name="min"/>.</summary>
    public static Option<double> Seconds(string name, string description, double fallback, double min) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return fallback;
            }

            var text = result.Tokens[0].Value;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value < min || value > 86_400)
            {
                result.AddError($"{Name(result)} needs a number of seconds of at least {min.ToString(CultureInfo.InvariantCulture)}, not '{text}'.");
            }

            return value;
        },
    };

    /// <summary>A validator: the option's value is not empty or blank (<c>--to ''</c> is a usage error).</summary>
    public static void NotBlank(OptionResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (string.IsNullOrWhiteSpace(token.Value))
            {
                result.AddError($"{result.Option.Name} must not be empty.");
            }
        }
    }

    /// <summary>A validator: the argument's value is not empty or blank.</summary>
    public static void NotBlank(ArgumentResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (string.IsNullOrWhiteSpace(token.Value))
            {
                result.AddError($"{result.Argument.Name} must not be empty.");
            }
        }
    }

    /// <summary>Whether <paramref name="option"/> appears on the command line (a default does not count).</summary>
    public static bool Given(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };

    /// <summary>
    /// The option's values as typed. Command validators read these rather than converted values,
    /// which throw while the option itself is in error (and completion parses half-typed lines).
    /// </summary>
    public static IReadOnlyList<string> Typed(CommandResult result, Option option) =>
        result.GetResult(option) is { Implicit: false } given ? [.. given.Tokens.Select(t => t.Value)] : [];

    /// <summary>
    /// The first word that looks like an option but was taken as an argument, or null: System.CommandLine
    /// hands an unknown <c>--name</c> to a command's positional argument (<c>folder create --jsn</c>
    /// would create "--jsn"). Values of options and words after <c>--</c> do not count.
    /// </summary>
    public static string? StrayOption(ParseResult parse)
    {
        var optionValues = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        Collect(parse.RootCommandResult);
        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                return null;
            }

            if (token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-' && !optionValues.Contains(token))
            {
                return token.Value;
            }
        }

        return null;

        void Collect(CommandResult command)
        {
            foreach (var child in command.Children)
            {
                if (child is OptionResult option)
                {
                    optionValues.UnionWith(option.Tokens);
                }
                else if (child is CommandResult sub)
                {
                    Collect(sub);
                }
            }
        }
    }

    /// <summary>The usage error for <see cref="StrayOption"/>.</summary>
    public static string Unrecognized(string option) => $"Unrecognized option '{option}'.";

    private static long MessageId(ArgumentResult result, string text)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            result.AddError($"'{text}' is not a message id (a positive whole number).");
        }

        return id;
    }

    private static long Number(ArgumentResult result, long min, long max)
    {
        var text = result.Tokens[0].Value;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            result.AddError(max == long.MaxValue
                ? $"{Name(result)} needs a whole number of at least {min}, not '{text}'."
                : $"{Name(result)} needs a whole number from {min} to {max}, not '{text}'.");
        }

        return value;
    }

    private static string Name(ArgumentResult result) =>
        result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
