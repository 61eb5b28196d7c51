namespace Butterfly.Cli.Tests;

/// <summary>The outcome of one CLI run.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Out">What went to stdout.</param>
/// <param name="Error">What went to stderr.</param>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <inheritdoc/>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
