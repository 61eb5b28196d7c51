namespace Butterfly.TestUtilities;

/// <summary>What a CLI run printed and returned.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Stdout">Standard output.</param>
/// <param name="Stderr">Standard error.</param>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <inheritdoc/>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
