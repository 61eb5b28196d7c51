namespace Butterfly.Cli.Arguments;

/// <summary>One option a command accepts.</summary>
/// <param name="Name">The long name without dashes, e.g. <c>folder</c>.</param>
/// <param name="Kind">Whether it takes a value.</param>
/// <param name="ValueName">The placeholder shown in help, e.g. <c>NAME</c>.</param>
/// <param name="Help">One line for the help text.</param>
internal sealed record OptionSpec(string Name, OptionKind Kind, string? ValueName, string Help)
{
    public static OptionSpec Flag(string name, string help) => new(name, OptionKind.Flag, null, help);

    public static OptionSpec Value(string name, string valueName, string help) => new(name, OptionKind.Value, valueName, help);

    public static OptionSpec List(string name, string valueName, string help) => new(name, OptionKind.List, valueName, help);

    /// <summary>How the option appears in help: <c>--folder NAME</c>.</summary>
    public string Display => Kind == OptionKind.Flag ? "--" + Name : $"--{Name} {ValueName}";
}
