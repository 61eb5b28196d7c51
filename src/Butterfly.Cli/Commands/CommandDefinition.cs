using Butterfly.Cli.Arguments;

namespace Butterfly.Cli.Commands;

/// <summary>One command of the CLI: its words, help text, options and handler.</summary>
internal sealed class CommandDefinition
{
    /// <summary>The command's words, e.g. <c>user add</c>.</summary>
    public required string Name { get; init; }

    /// <summary>One line for the command list.</summary>
    public required string Summary { get; init; }

    /// <summary>What follows the name in the usage line, e.g. <c>ADDRESS [options]</c>.</summary>
    public string Usage { get; init; } = "[options]";

    /// <summary>A paragraph shown by <c>--help</c>.</summary>
    public string? Description { get; init; }

    public IReadOnlyList<OptionSpec> Options { get; init; } = [];

    public int MinPositionals { get; init; }

    public int MaxPositionals { get; init; }

    /// <summary>Runs the command; returns the exit code.</summary>
    public required Func<CommandContext, ParsedArguments, Task<int>> RunAsync { get; init; }

    public string[] Words => Name.Split(' ');

    /// <summary>The full help text.</summary>
    public string Help()
    {
        var text = new System.Text.StringBuilder();
        text.Append("usage: butterfly ").Append(Name).Append(' ').AppendLine(Usage);
        text.AppendLine();
        text.AppendLine(Description ?? Summary);
        text.AppendLine();
        text.AppendLine("options:");
        var width = Math.Max(20, Options.Count == 0 ? 0 : Options.Max(o => o.Display.Length) + 2);
        foreach (var option in Options)
        {
            text.Append("  ").Append(option.Display.PadRight(width)).AppendLine(option.Help);
        }

        text.Append("  ").Append("-h, --help".PadRight(width)).AppendLine("show this help");
        return text.ToString();
    }
}
