namespace Butterfly.Protocol.Contracts;

/// <summary>One message summary in a <c>message.list</c> reply.</summary>
/// <param name="Id">Its id in its folder.</param>
/// <param name="Folder">The folder.</param>
/// <param name="From">The decoded From field.</param>
/// <param name="To">The decoded To addresses.</param>
/// <param name="Cc">The decoded Cc addresses.</param>
/// <param name="Subject">The decoded subject.</param>
/// <param name="Date">The Date field.</param>
/// <param name="Received">When the server stored it.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Flags">Its flags.</param>
/// <param name="ModSeq">The modification sequence of its last change.</param>
public sealed record MessageDto(
    long Id,
    string Folder,
    string? From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string? Subject,
    DateTimeOffset? Date,
    DateTimeOffset Received,
    long Size,
    IReadOnlyList<string> Flags,
    [property: System.Text.Json.Serialization.JsonPropertyName("modseq")] long ModSeq);
