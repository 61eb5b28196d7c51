using System.Text.Json.Serialization;

namespace Butterfly.Protocol.Contracts;

/// <summary>A failure reply head: <c>{"ok":false,"code":...,"message":...}</c> (protocol/errors.md).</summary>
/// <param name="Code">The stable machine-readable code.</param>
/// <param name="Message">What went wrong, for a person.</param>
public sealed record ErrorReply(string Code, string Message)
{
    /// <summary>Always false; written first.</summary>
    [JsonPropertyOrder(-1)]
    public bool Ok { get; init; }
}
