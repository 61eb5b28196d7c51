using Butterfly.Protocol.Contracts;

namespace Butterfly.Client;

/// <summary>
/// One page of a <c>changes</c> reply: what changed after <see cref="Since"/>, up to <see cref="State"/>.
/// Apply <see cref="Folders"/> first, then the messages; applying a page twice gives the same view.
/// </summary>
/// <param name="Since">The state asked about.</param>
/// <param name="State">The state these changes bring the client to.</param>
/// <param name="More">True when more changes follow (ask again from <see cref="State"/>).</param>
/// <param name="Folders">Folders created, renamed or deleted.</param>
/// <param name="Created">Messages added, as they are now.</param>
/// <param name="Changed">Messages whose flags changed, as they are now.</param>
/// <param name="Removed">Messages expunged or moved away.</param>
public sealed record ChangesPage(
    long Since,
    long State,
    bool More,
    IReadOnlyList<FolderChangeDto> Folders,
    IReadOnlyList<MessageDto> Created,
    IReadOnlyList<MessageDto> Changed,
    IReadOnlyList<RemovedMessageDto> Removed);
