using System.Text.Json;

namespace Butterfly.Server.Filters;

/// <summary>A filter's reply to a <c>filter.message</c> request: its parsed head and its binary body.</summary>
/// <param name="Head">The parsed head, disposed with the response.</param>
/// <param name="Body">The binary body (replacement and injected messages are slices of it).</param>
internal sealed record FilterResponse(JsonDocument Head, byte[] Body) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose() => Head.Dispose();
}
