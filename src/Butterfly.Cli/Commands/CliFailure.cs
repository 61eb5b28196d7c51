namespace Butterfly.Cli.Commands;

/// <summary>A failure the CLI reports as <c>error: CODE: MESSAGE</c> with exit code 1.</summary>
internal sealed class CliFailure : Exception
{
    public CliFailure()
        : this("failed", "The command failed.")
    {
    }

    public CliFailure(string message)
        : this("failed", message)
    {
    }

    public CliFailure(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "failed";
    }

    public CliFailure(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>The code printed before the message, e.g. <c>account.exists</c>.</summary>
    public string Code { get; }
}
