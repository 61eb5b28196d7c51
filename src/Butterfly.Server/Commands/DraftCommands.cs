using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Delivery;
using Butterfly.Server.Wire;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Commands;

/// <summary>
/// <c>draft.save</c> (protocol/client.md): a message composed from the same simple fields as <c>send</c>, Bcc kept,
/// stored in Drafts with the draft flag, replacing the previous version in the same transaction; and the removal
/// of the draft a <c>send</c> names once the message is sent.
/// </summary>
internal static class DraftCommands
{
    /// <summary>The folder drafts are saved in.</summary>
    public const string Folder = "Drafts";

    public static async ValueTask<Reply> SaveAsync(CommandContext context)
    {
        if (!Fields.TryLong(context.Head, "replaces", out var replaces, out var error)
            || !ComposeRequest.TryRead(context, out var fields, out error)
            || !ComposeRequest.TryCompose(context, fields, keepBcc: true, out var raw, out _, out error))
        {
            return error;
        }

        var check = context.Services.Delivery.Intake.Check(raw, out var parsed, out var problem);
        if (check != ErrorCode.None)
        {
            return Reply.Fail(check, problem ?? check.DefaultMessage());
        }

        var messages = context.Services.Store.Messages;
        var summary = MessageIntake.Summarize(parsed!);
        var now = DateTimeOffset.UtcNow;
        if (replaces is { } old)
        {
            var replaced = await messages.ReplaceAsync(context.Account.Id, Folder, old, raw, summary, MessageFlags.Draft, now);
            if (replaced.Ok)
            {
                return JsonReply.Ok(new MessageStoreReply(replaced.Value!.Folder, replaced.Value.Id, old), ProtocolJson.Default.MessageStoreReply);
            }

            // Gone already (sent or deleted from another tab): saved as a new draft.
            if (replaced.Error != StoreError.MessageNotFound)
            {
                return StoreErrors.Fail(replaced);
            }
        }

        var stored = await messages.AppendAsync(context.Account.Id, Folder, raw, summary, MessageFlags.Draft, now, null);
        return stored.Ok
            ? JsonReply.Ok(new MessageStoreReply(stored.Value!.Folder, stored.Value.Id), ProtocolJson.Default.MessageStoreReply)
            : StoreErrors.Fail(stored);
    }

    /// <summary>
    /// Removes the draft <paramref name="id"/> for good after its message was sent (two steps of the store, to Trash
    /// and out of it: a crash between them leaves the draft in Trash, where the user can see it). False when it
    /// was gone already or is no draft (then it is left alone).
    /// </summary>
    /// <param name="context">The send request.</param>
    /// <param name="id">The draft's id in Drafts.</param>
    public static async Task<bool> RemoveAfterSendAsync(CommandContext context, long id)
    {
        var messages = context.Services.Store.Messages;
        var accountId = context.Account.Id;
        var draft = await messages.FetchAsync(accountId, Folder, id);
        if (!draft.Ok || (draft.Value!.Item.Flags & MessageFlags.Draft) == 0)
        {
            return false;
        }

        var trashed = await messages.DeleteAsync(accountId, Folder, [id]);
        if (!trashed.Ok || !trashed.Value!.Trashed.TryGetValue(id, out var inTrash))
        {
            return trashed.Ok && trashed.Value!.Expunged.Contains(id);
        }

        var expunged = await messages.DeleteAsync(accountId, "Trash", [inTrash]);
        if (!expunged.Ok)
        {
            context.Services.Logger.LogWarning("The sent draft {Id} of {User} stays in Trash as {TrashId}: {Problem}", id, context.Account.Address, inTrash, expunged.Detail);
        }

        return true;
    }
}
