namespace Butterfly.Protocol.Contracts;

/// <summary>The kinds of events the server pushes with tag 0 (protocol/client.md, "Events"), as in <c>"event"</c>.</summary>
public static class EventNames
{
    public const string MessageAdded = "message.added";
    public const string MessageFlags = "message.flags";
    public const string MessageMoved = "message.moved";
    public const string MessageRemoved = "message.removed";
    public const string FolderCreated = "folder.created";
    public const string FolderRenamed = "folder.renamed";
    public const string FolderDeleted = "folder.deleted";
    public const string Quota = "quota";

    /// <summary>Sent once when a session's event queue overflowed; no more events come until it subscribes again.</summary>
    public const string Overflow = "events.overflow";

    /// <summary>Every kind a session can subscribe to, in the order of <c>events.subscribe</c>'s reply.</summary>
    public static IReadOnlyList<string> All { get; } =
        [MessageAdded, MessageFlags, MessageMoved, MessageRemoved, FolderCreated, FolderRenamed, FolderDeleted, Quota];
}
