namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>changes</c>: what changed after <see cref="Since"/>, up to <see cref="State"/>.</summary>
/// <param name="Since">The state asked about.</param>
/// <param name="State">The state these changes bring the client to.</param>
/// <param name="More">True when more changes follow: ask again with <c>since</c> = <see cref="State"/>.</param>
/// <param name="Folders">Folders created, renamed or deleted, in order; apply them first.</param>
/// <param name="Created">Messages added since, with their current summary and flags.</param>
/// <param name="Changed">Messages whose flags changed, with their current summary and flags.</param>
/// <param name="Removed">Messages expunged or moved away.</param>
public sealed record ChangesReply(
    long Since,
    long State,
    bool More,
    IReadOnlyList<FolderChangeDto> Folders,
    IReadOnlyList<MessageDto> Created,
    IReadOnlyList<MessageDto> Changed,
    IReadOnlyList<RemovedMessageDto> Removed) : OkReply;
