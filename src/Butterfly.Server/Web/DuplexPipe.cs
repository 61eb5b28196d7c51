using System.IO.Pipelines;

namespace Butterfly.Server.Web;

/// <summary>Two pipe ends as the transport a session reads and writes.</summary>
/// <param name="input">What the session reads.</param>
/// <param name="output">What the session writes.</param>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    /// <inheritdoc/>
    public PipeReader Input { get; } = input;

    /// <inheritdoc/>
    public PipeWriter Output { get; } = output;
}
