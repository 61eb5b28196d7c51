using System.Text.Json.Serialization;

namespace Butterfly.Protocol.Contracts;

/// <summary>A message gone from a folder, in a <c>changes</c> reply.</summary>
/// <param name="Folder">The folder it left.</param>
/// <param name="Id">Its id there.</param>
/// <param name="ModSeq">The state the removal made.</param>
public sealed record RemovedMessageDto(string Folder, long Id, [property: JsonPropertyName("modseq")] long ModSeq)
{
    /// <summary>For a move, the folder it went to.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? To { get; init; }

    /// <summary>For a move, its id in <see cref="To"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ToId { get; init; }
}
