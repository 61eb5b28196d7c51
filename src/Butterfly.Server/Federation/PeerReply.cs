using System.Text.Json;

namespace Butterfly.Server.Federation;

/// <summary>A reply a peer sent: its head (parsed) and its body bytes.</summary>
/// <param name="Tag">The request's tag.</param>
/// <param name="Head">The JSON head.</param>
/// <param name="Body">The binary section.</param>
internal sealed record PeerReply(ulong Tag, JsonElement Head, ReadOnlyMemory<byte> Body)
{
    /// <summary>Whether the reply says <c>"ok": true</c>.</summary>
    public bool Ok => Head.TryGetProperty("ok"u8, out var ok) && ok.ValueKind == JsonValueKind.True;

    /// <summary>The error code of a failure reply.</summary>
    public string Code => Head.TryGetProperty("code"u8, out var code) && code.ValueKind == JsonValueKind.String ? code.GetString()! : "server.internal";

    /// <summary>The message of a failure reply.</summary>
    public string Message => Head.TryGetProperty("message"u8, out var message) && message.ValueKind == JsonValueKind.String ? message.GetString()! : "The peer gave no reason.";

    /// <summary>A string member of the head, or null.</summary>
    /// <param name="name">The member name.</param>
    public string? GetString(string name) =>
        Head.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
