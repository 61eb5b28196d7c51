namespace Butterfly.Storage;

/// <summary>
/// What changed in an account (or one folder) after a state, up to <see cref="State"/>. Apply
/// <see cref="Folders"/> first (created, renamed, deleted), then the messages; every list is in the
/// order of the changes.
/// </summary>
/// <param name="Since">The state asked about.</param>
/// <param name="State">The state these changes bring the client to; ask again from here.</param>
/// <param name="More">True when changes after <see cref="State"/> exist already (the page was full).</param>
/// <param name="Folders">Folders created, renamed or deleted.</param>
/// <param name="Created">Messages added after <see cref="Since"/> that still exist, with their current state.</param>
/// <param name="Changed">Messages that existed at <see cref="Since"/> whose flags changed, with their current state.</param>
/// <param name="Removed">Messages expunged or moved away.</param>
public sealed record ChangeSet(
    long Since,
    long State,
    bool More,
    IReadOnlyList<FolderChange> Folders,
    IReadOnlyList<MessageItem> Created,
    IReadOnlyList<MessageItem> Changed,
    IReadOnlyList<RemovedMessage> Removed);
