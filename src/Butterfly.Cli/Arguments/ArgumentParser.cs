namespace Butterfly.Cli.Arguments;

/// <summary>
/// A small GNU-style parser: <c>--name value</c>, <c>--name=value</c>, flags, repeatable options,
/// positionals anywhere, and <c>--</c> to end option parsing. <c>-h</c> is <c>--help</c>.
/// </summary>
internal static class ArgumentParser
{
    /// <summary>Parses <paramref name="args"/> against the options a command accepts.</summary>
    /// <exception cref="UsageException">An unknown option, a missing value, or a single-valued option given twice.</exception>
    public static ParsedArguments Parse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> options)
    {
        var byName = options.ToDictionary(o => o.Name, StringComparer.Ordinal);
        var positionals = new List<string>();
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var onlyPositionals = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (onlyPositionals || arg == "-" || !arg.StartsWith('-'))
            {
                positionals.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                onlyPositionals = true;
                continue;
            }

            if (arg == "-h")
            {
                arg = "--help";
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"unknown option '{arg}' (options are written --name).");
            }

            string name;
            string? inlineValue = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[2..equals];
                inlineValue = arg[(equals + 1)..];
            }
            else
            {
                name = arg[2..];
            }

            if (name == "help")
            {
                flags.Add("help");
                continue;
            }

            if (!byName.TryGetValue(name, out var spec))
            {
                throw new UsageException($"unknown option '--{name}'.");
            }

            if (spec.Kind == OptionKind.Flag)
            {
                if (inlineValue is not null)
                {
                    throw new UsageException($"--{name} takes no value.");
                }

                flags.Add(name);
                continue;
            }

            string value;
            if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"--{name} needs a value ({spec.ValueName}).");
            }

            if (values.TryGetValue(name, out var list))
            {
                if (spec.Kind == OptionKind.Value)
                {
                    throw new UsageException($"--{name} is given more than once.");
                }

                list.Add(value);
            }
            else
            {
                values[name] = [value];
            }
        }

        return new ParsedArguments(positionals, values, flags);
    }

    /// <summary>True when <c>--help</c> or <c>-h</c> appears before any <c>--</c>.</summary>
    public static bool WantsHelp(IReadOnlyList<string> args)
    {
        foreach (var arg in args)
        {
            if (arg == "--")
            {
                return false;
            }

            if (arg is "--help" or "-h")
            {
                return true;
            }
        }

        return false;
    }
}
