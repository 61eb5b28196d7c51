namespace Butterfly.Protocol.Contracts;

/// <summary>One folder in a <c>folder.list</c> reply.</summary>
/// <param name="Name">The folder's path, e.g. <c>Archive/2026</c>.</param>
/// <param name="Messages">How many messages it holds.</param>
/// <param name="Unseen">How many of them lack the seen flag.</param>
/// <param name="NextId">The id the next message will get.</param>
/// <param name="ModSeq">The modification sequence of its last change.</param>
public sealed record FolderDto(string Name, long Messages, long Unseen, long NextId, [property: System.Text.Json.Serialization.JsonPropertyName("modseq")] long ModSeq);
