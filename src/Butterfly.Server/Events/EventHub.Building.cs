using Butterfly.Protocol.Contracts;
using Butterfly.Server.Wire;
using Butterfly.Storage;

namespace Butterfly.Server.Events;

/// <summary>Turning changes into event frames (protocol/client.md, "Events"), each serialized once for every session.</summary>
internal sealed partial class EventHub
{
    /// <summary>
    /// The events of a change set in state order (folders first within a state). A move shows as one
    /// <c>message.moved</c> carrying the message as it is in its new folder, not as a removal and an addition.
    /// </summary>
    private static List<(EventKinds Kind, byte[] Head)> Build(ChangeSet changes)
    {
        var events = new List<(long State, int Order, EventKinds Kind, EventDto Event)>(
            changes.Folders.Count + changes.Created.Count + changes.Changed.Count + changes.Removed.Count);
        foreach (var folder in changes.Folders)
        {
            var (name, kind) = folder.Kind switch
            {
                FolderChangeKind.Created => (EventNames.FolderCreated, EventKinds.FolderCreated),
                FolderChangeKind.Renamed => (EventNames.FolderRenamed, EventKinds.FolderRenamed),
                _ => (EventNames.FolderDeleted, EventKinds.FolderDeleted),
            };
            events.Add((folder.ModSeq, 0, kind, new EventDto(name, folder.ModSeq) { Folder = folder.Name, OldFolder = folder.OldName }));
        }

        var created = changes.Created.ToDictionary(m => (m.Folder, m.Id));
        foreach (var removed in changes.Removed)
        {
            if (removed.MovedTo is { } to && removed.MovedToId is { } toId)
            {
                created.Remove((to, toId), out var target);
                events.Add((removed.ModSeq, 1, EventKinds.MessageMoved, new EventDto(EventNames.MessageMoved, removed.ModSeq)
                {
                    Folder = removed.Folder,
                    Id = removed.Id,
                    To = to,
                    ToId = toId,
                    Message = target is null ? null : MessageDtos.From(target),
                }));
            }
            else
            {
                events.Add((removed.ModSeq, 1, EventKinds.MessageRemoved, new EventDto(EventNames.MessageRemoved, removed.ModSeq) { Folder = removed.Folder, Id = removed.Id }));
            }
        }

        foreach (var message in changes.Created)
        {
            if (created.ContainsKey((message.Folder, message.Id)))
            {
                events.Add((message.ModSeq, 2, EventKinds.MessageAdded, new EventDto(EventNames.MessageAdded, message.ModSeq)
                {
                    Folder = message.Folder,
                    Id = message.Id,
                    Message = MessageDtos.From(message),
                }));
            }
        }

        foreach (var message in changes.Changed)
        {
            events.Add((message.ModSeq, 2, EventKinds.MessageFlags, new EventDto(EventNames.MessageFlags, message.ModSeq)
            {
                Folder = message.Folder,
                Id = message.Id,
                Flags = FlagMapping.ToNames(message.Flags),
            }));
        }

        // A stable sort: within one state and kind, the store's order (folder, id) stays.
        return [.. events.OrderBy(e => e.State).ThenBy(e => e.Order).Select(e => (e.Kind, JsonReply.Serialize(e.Event, ProtocolJson.Default.EventDto)))];
    }

    private static (EventKinds, byte[]) Quota(long state, QuotaState quota) => (EventKinds.Quota, JsonReply.Serialize(
        new EventDto(EventNames.Quota, state) { Used = quota.UsedBytes, Limit = quota.LimitBytes, Level = quota.Level },
        ProtocolJson.Default.EventDto));

    private static byte[] Overflow(long state) => JsonReply.Serialize(new EventDto(EventNames.Overflow, state), ProtocolJson.Default.EventDto);
}
