
namespace Butterfly.Protocol.Contracts;

/// <summary>One recipient of a <c>send</c>: <c>delivered</c>, <c>queued</c>, <c>held</c>, ...</summary>
/// <param name="Address">The recipient.</param>
/// <param name="Status">What happened (protocol/client.md, "send").</param>
public sealed record RecipientStatusDto(string Address, string Status)
{
    /// <summary>For a <c>queued</c> remote recipient: <c>butterfly</c> or <c>smtp</c>, how it leaves; null when not known.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Via { get; init; }
}
