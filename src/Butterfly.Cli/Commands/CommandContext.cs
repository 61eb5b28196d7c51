namespace Butterfly.Cli.Commands;

/// <summary>What a command reads from and writes to: the console in the real program, buffers in tests.</summary>
internal sealed class CommandContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    /// <summary>True when stdin is a pipe or a file rather than a terminal.</summary>
    public bool InputRedirected { get; init; }

    /// <summary>Opens stdout for raw bytes (<c>read --raw</c>).</summary>
    public required Func<Stream> OpenStandardOutput { get; init; }

    /// <summary>Opens stdin for raw bytes (<c>send --file -</c>).</summary>
    public required Func<Stream> OpenStandardInput { get; init; }

    /// <summary>Reads an environment variable.</summary>
    public required Func<string, string?> Environment { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>The real console.</summary>
    public static CommandContext FromConsole(CancellationToken ct) => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        InputRedirected = Console.IsInputRedirected,
        OpenStandardOutput = Console.OpenStandardOutput,
        OpenStandardInput = Console.OpenStandardInput,
        Environment = System.Environment.GetEnvironmentVariable,
        CancellationToken = ct,
    };
}
