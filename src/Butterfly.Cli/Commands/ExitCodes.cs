namespace Butterfly.Cli.Commands;

/// <summary>The exit codes every command keeps to.</summary>
internal static class ExitCodes
{
    /// <summary>It worked.</summary>
    public const int Ok = 0;

    /// <summary>The server or the system refused (the error line says which and why).</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: unknown option, missing argument, bad value.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl+C, as a shell reports SIGINT.</summary>
    public const int Interrupted = 130;
}
