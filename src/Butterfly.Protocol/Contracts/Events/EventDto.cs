using System.Text.Json.Serialization;

namespace Butterfly.Protocol.Contracts;

/// <summary>
/// The head of a frame the server pushes with tag 0 (protocol/client.md, "Events"): <c>"ok": true</c>,
/// the kind in <c>"event"</c>, the account's state the change made, and the fields of that kind.
/// </summary>
/// <param name="Event">The kind, one of <see cref="EventNames"/>.</param>
/// <param name="State">The account's state (modification sequence) once this change was made.</param>
public sealed record EventDto(string Event, long State) : OkReply
{
    /// <summary>The folder the event is about (for a move, the folder the message left).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Folder { get; init; }

    /// <summary>The message's id in <see cref="Folder"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Id { get; init; }

    /// <summary>For <c>folder.renamed</c>, the folder's name before.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OldFolder { get; init; }

    /// <summary>For <c>message.moved</c>, the folder the message went to.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? To { get; init; }

    /// <summary>For <c>message.moved</c>, its id in <see cref="To"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ToId { get; init; }

    /// <summary>For <c>message.flags</c>, the message's flags now.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Flags { get; init; }

    /// <summary>For <c>message.added</c> and <c>message.moved</c>, the message's summary where it is now.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MessageDto? Message { get; init; }

    /// <summary>For <c>quota</c>, the bytes the account's folders use.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Used { get; init; }

    /// <summary>For <c>quota</c>, the account's quota in bytes (absent when it has none).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Limit { get; init; }

    /// <summary>For <c>quota</c>: <c>ok</c>, <c>warning</c> (at 90%) or <c>exceeded</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Level { get; init; }
}
