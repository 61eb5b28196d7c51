using System.Text.Json.Serialization;

namespace Butterfly.Protocol.Contracts;

/// <summary>The head of the reply to <c>message.fetch</c>; the raw message is the body.</summary>
/// <param name="Folder">The folder.</param>
/// <param name="Id">The message id.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Flags">Its flags.</param>
/// <param name="Received">When the server stored it.</param>
/// <param name="ModSeq">The modification sequence of its last change.</param>
public sealed record MessageFetchReply(
    string Folder,
    long Id,
    long Size,
    IReadOnlyList<string> Flags,
    DateTimeOffset Received,
    [property: JsonPropertyName("modseq")] long ModSeq) : OkReply;
