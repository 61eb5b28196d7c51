using System.Text.Json.Serialization;

namespace Butterfly.Protocol.Contracts;

/// <summary>A folder created, renamed or deleted, in a <c>changes</c> reply.</summary>
/// <param name="Change"><c>created</c>, <c>renamed</c> or <c>deleted</c>.</param>
/// <param name="Folder">Its name after the change (for a deletion, the name it had).</param>
/// <param name="ModSeq">The state the change made.</param>
public sealed record FolderChangeDto(string Change, string Folder, [property: JsonPropertyName("modseq")] long ModSeq)
{
    /// <summary>For a rename, the name before.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OldFolder { get; init; }
}
