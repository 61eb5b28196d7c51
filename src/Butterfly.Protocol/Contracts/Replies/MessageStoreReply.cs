using System.Text.Json.Serialization;

namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>message.store</c> and <c>message.replace</c>.</summary>
/// <param name="Folder">The folder.</param>
/// <param name="Id">The new message's id.</param>
/// <param name="Replaced">The id of the draft it replaced (message.replace only).</param>
public sealed record MessageStoreReply(
    string Folder,
    long Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Replaced = null) : OkReply;
