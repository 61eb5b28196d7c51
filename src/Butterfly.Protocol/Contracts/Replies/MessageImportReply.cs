namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>message.import</c>.</summary>
/// <param name="Folder">The folder, as stored.</param>
/// <param name="Id">The new message's id, or the id of the copy the folder held already.</param>
/// <param name="Duplicate">True when the folder held the same bytes already: nothing was stored.</param>
public sealed record MessageImportReply(string Folder, long Id, bool Duplicate) : OkReply;
