using System.Text.Json.Serialization;

namespace Butterfly.Protocol.Contracts;

/// <summary>
/// A success reply head: <c>{"ok":true, ...}</c> with the members of the derived record after
/// <c>ok</c> (protocol/client.md). Every reply contract derives from it.
/// </summary>
public abstract record OkReply
{
    /// <summary>Always true on a success reply; written first.</summary>
    [JsonPropertyOrder(-1)]
    public bool Ok { get; init; } = true;
}
