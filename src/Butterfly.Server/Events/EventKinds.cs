namespace Butterfly.Server.Events;

/// <summary>The kinds of events a session subscribed to (protocol/client.md, "events.subscribe").</summary>
[Flags]
internal enum EventKinds
{
    None = 0,
    MessageAdded = 1,
    MessageFlags = 2,
    MessageMoved = 4,
    MessageRemoved = 8,
    FolderCreated = 16,
    FolderRenamed = 32,
    FolderDeleted = 64,
    Quota = 128,
    Messages = MessageAdded | MessageFlags | MessageMoved | MessageRemoved,
    Folders = FolderCreated | FolderRenamed | FolderDeleted,
    All = Messages | Folders | Quota,
}
