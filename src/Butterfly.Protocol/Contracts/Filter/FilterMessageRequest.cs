using System.Text.Json.Serialization;

namespace Butterfly.Protocol.Contracts;

/// <summary>The head of a <c>filter.message</c> request the server sends (protocol/filter.md); the message is the body.</summary>
/// <param name="Id">A random id for logs.</param>
/// <param name="Stage"><c>inbound</c>, <c>outbound</c> or <c>claim</c>.</param>
/// <param name="Envelope">Sender, recipients and where the message comes from.</param>
/// <param name="Summary">Fields of the message.</param>
public sealed record FilterMessageRequest(string Id, string Stage, FilterEnvelopeDto Envelope, FilterSummaryDto Summary)
{
    /// <summary>The command name, written first.</summary>
    [JsonPropertyOrder(-1)]
    public string Cmd { get; init; } = Commands.FilterMessage;
}
