using System.Text.Json;

namespace Butterfly.Filters.Internal;

/// <summary>A reply frame from the server: its parsed head and its body.</summary>
/// <param name="Head">The parsed JSON head (disposed with the reply).</param>
/// <param name="Body">The binary body.</param>
internal sealed record FilterReply(JsonDocument Head, byte[] Body) : IDisposable
{
    /// <summary>Whether the head says <c>"ok": true</c>.</summary>
    public bool Ok => Head.RootElement.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True;

    /// <inheritdoc/>
    public void Dispose() => Head.Dispose();
}
