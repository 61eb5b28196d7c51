using System.Text.Json;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Wire;
using Butterfly.Storage;

namespace Butterfly.Server.Commands;

/// <summary>message.list, fetch, move, copy, delete, flags (protocol/client.md).</summary>
internal static class MessageCommands
{
    private const int DefaultPage = 50;
    private const int MaxPage = 500;

    public static async ValueTask<Reply> ListAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "folder", out var folder, out var error, fallback: "Inbox")
            || !Fields.TryLong(context.Head, "limit", out var limit, out error, 1, MaxPage)
            || !Fields.TryLong(context.Head, "before", out var before, out error))
        {
            return error;
        }

        var page = await context.Services.Store.Messages.ListAsync(context.Account.Id, folder, before, (int)(limit ?? DefaultPage), context.Aborted);
        if (!page.Ok)
        {
            return StoreErrors.Fail(page);
        }

        var p = page.Value!;
        return JsonReply.Ok(new MessageListReply(p.Folder, p.Total, p.Next, [.. p.Messages.Select(ToDto)]), ProtocolJson.Default.MessageListReply);
    }

    public static async ValueTask<Reply> FetchAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "folder", out var folder, out var error, fallback: "Inbox")
            || !Fields.TryLong(context.Head, "id", out var id, out error))
        {
            return error;
        }

        if (id is null)
        {
            return Fields.Invalid("id", "a message id");
        }

        var fetched = await context.Services.Store.Messages.FetchAsync(context.Account.Id, folder, id.Value, context.Aborted);
        if (!fetched.Ok)
        {
            return StoreErrors.Fail(fetched);
        }

        var message = fetched.Value!;
        var item = message.Item;
        return JsonReply.OkWithBody(
            new MessageFetchReply(item.Folder, item.Id, item.Size, FlagMapping.ToNames(item.Flags), item.Received, item.ModSeq),
            ProtocolJson.Default.MessageFetchReply,
            message.Content);
    }

    public static ValueTask<Reply> MoveAsync(CommandContext context) => TransferAsync(context, copy: false);

    public static ValueTask<Reply> CopyAsync(CommandContext context) => TransferAsync(context, copy: true);

    public static async ValueTask<Reply> DeleteAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "folder", out var folder, out var error, fallback: "Inbox")
            || !Fields.TryIds(context.Head, out var ids, out error))
        {
            return error;
        }

        var result = await context.Services.Store.Messages.DeleteAsync(context.Account.Id, folder, ids);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        var deleted = result.Value!;
        return JsonReply.Ok(new MessageDeleteReply(deleted.Trashed, deleted.Expunged), ProtocolJson.Default.MessageDeleteReply);
    }

    public static async ValueTask<Reply> FlagsAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "folder", out var folder, out var error, fallback: "Inbox")
            || !Fields.TryIds(context.Head, out var ids, out error)
            || !Fields.TryStrings(context.Head, "add", 8, out var addNames, out error)
            || !Fields.TryStrings(context.Head, "remove", 8, out var removeNames, out error))
        {
            return error;
        }

        if (!FlagMapping.TryParse(addNames, out var add, out var unknown) || !FlagMapping.TryParse(removeNames, out var remove, out unknown))
        {
            return Reply.Fail(ErrorCode.RequestInvalid, $"Unknown flag '{unknown}'; flags are {string.Join(", ", FlagNames.All)}.");
        }

        var result = await context.Services.Store.Messages.ChangeFlagsAsync(context.Account.Id, folder, ids, add, remove);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        var states = result.Value!.Select(c => new FlagStateDto(c.Id, FlagMapping.ToNames(c.Flags), c.ModSeq)).ToList();
        return JsonReply.Ok(new MessageFlagsReply(states), ProtocolJson.Default.MessageFlagsReply);
    }

    internal static MessageDto ToDto(MessageItem item) => MessageDtos.From(item);

    private static async ValueTask<Reply> TransferAsync(CommandContext context, bool copy)
    {
        if (!Fields.TryString(context.Head, "folder", out var folder, out var error, fallback: "Inbox")
            || !Fields.TryIds(context.Head, out var ids, out error)
            || !Fields.TryString(context.Head, "to", out var target, out error))
        {
            return error;
        }

        var messages = context.Services.Store.Messages;
        var result = copy
            ? await messages.CopyAsync(context.Account.Id, folder, ids, target)
            : await messages.MoveAsync(context.Account.Id, folder, ids, target);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        var moved = result.Value!;
        return JsonReply.Ok(new MessageTransferReply(moved.Folder, moved.Ids), ProtocolJson.Default.MessageTransferReply);
    }
}
