using Butterfly.Protocol.Contracts;
using Butterfly.Storage;

namespace Butterfly.Server.Wire;

/// <summary>A stored message as the wire shows it (message.list, changes, events).</summary>
internal static class MessageDtos
{
    public static MessageDto From(MessageItem item) => new(
        item.Id,
        item.Folder,
        item.Summary.From,
        item.Summary.To,
        item.Summary.Cc,
        item.Summary.Subject,
        item.Summary.Date,
        item.Received,
        item.Size,
        FlagMapping.ToNames(item.Flags),
        item.ModSeq);
}
