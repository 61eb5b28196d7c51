using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Commands;

/// <summary><c>message.view</c> and <c>message.part</c>: a message prepared for reading, and one of its attachments (protocol/client.md).</summary>
internal static class MessageViewCommands
{
    public static async ValueTask<Reply> ViewAsync(CommandContext context)
    {
        if (!Fields.TryBool(context.Head, "remoteImages", out var remoteImages, out var error))
        {
            return error;
        }

        var (fetched, failed) = await FetchAsync(context);
        if (fetched is null)
        {
            return failed;
        }

        var item = fetched.Item;
        var reading = MessageReading.Read(fetched.Content, remoteImages);
        return JsonReply.Ok(
            new MessageViewReply(
                item.Folder,
                item.Id,
                FlagMapping.ToNames(item.Flags),
                item.Size,
                item.Received,
                reading.From,
                reading.To,
                reading.Cc,
                reading.Bcc,
                reading.ReplyTo,
                reading.Subject,
                reading.Date,
                reading.MessageId,
                reading.InReplyTo,
                reading.References,
                reading.Text,
                reading.Html,
                reading.BlockedImages,
                reading.Attachments.Select(a => new AttachmentDto(a.Id, a.Name, a.Type, a.Size)).ToList()),
            ProtocolJson.Default.MessageViewReply);
    }

    public static async ValueTask<Reply> PartAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "part", out var partId, out var error))
        {
            return error;
        }

        var (fetched, failed) = await FetchAsync(context);
        if (fetched is null)
        {
            return failed;
        }

        var item = fetched.Item;
        if (MessageReading.Part(fetched.Content, partId) is not { } part)
        {
            return Reply.Fail(ErrorCode.MessagePartNotFound, $"No part {Truncate(partId)} in message {item.Id} of {item.Folder}.");
        }

        return JsonReply.OkWithBody(
            new MessagePartReply(item.Folder, item.Id, partId, part.Name, part.Type, part.Bytes.LongLength),
            ProtocolJson.Default.MessagePartReply,
            part.Bytes);
    }

    private static async Task<(Butterfly.Storage.StoredMessage? Message, Reply Error)> FetchAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "folder", out var folder, out var error, fallback: "Inbox")
            || !Fields.TryLong(context.Head, "id", out var id, out error))
        {
            return (null, error);
        }

        if (id is null)
        {
            return (null, Fields.Invalid("id", "a message id"));
        }

        var fetched = await context.Services.Store.Messages.FetchAsync(context.Account.Id, folder, id.Value, context.Aborted);
        return fetched.Ok ? (fetched.Value!, default) : (null, StoreErrors.Fail(fetched));
    }

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
