using System.Text.Json.Serialization;

namespace Butterfly.Protocol.Contracts;

/// <summary>One message's flags after <c>message.flags</c>.</summary>
/// <param name="Id">The message id.</param>
/// <param name="Flags">Its flags now.</param>
/// <param name="ModSeq">The modification sequence of the change.</param>
public sealed record FlagStateDto(long Id, IReadOnlyList<string> Flags, [property: JsonPropertyName("modseq")] long ModSeq);
