namespace Butterfly.Cli.Arguments;

/// <summary>How an option takes values.</summary>
internal enum OptionKind
{
    /// <summary>A switch without a value: <c>--json</c>.</summary>
    Flag,

    /// <summary>One value: <c>--folder NAME</c> or <c>--folder=NAME</c>; given twice is an error.</summary>
    Value,

    /// <summary>A value that may be repeated: <c>--to A --to B</c>.</summary>
    List,
}
