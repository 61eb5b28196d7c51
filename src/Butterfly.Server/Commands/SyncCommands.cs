using Butterfly.Protocol.Contracts;
using Butterfly.Server.Wire;
using Butterfly.Storage;

namespace Butterfly.Server.Commands;

/// <summary>changes: what changed since a state, in the account or one folder (protocol/client.md, "changes").</summary>
internal static class SyncCommands
{
    private const int DefaultPage = 500;
    private const int MaxPage = 5000;

    public static async ValueTask<Reply> ChangesAsync(CommandContext context)
    {
        if (!Fields.TryLong(context.Head, "since", out var since, out var error, 0)
            || !Fields.TryString(context.Head, "folder", out var folder, out error, required: false)
            || !Fields.TryLong(context.Head, "limit", out var limit, out error, 1, MaxPage))
        {
            return error;
        }

        if (since is null)
        {
            return Fields.Invalid("since", "a state (a whole number, 0 or more)");
        }

        var result = await context.Services.Store.Changes.SinceAsync(
            context.Account.Id, since.Value, folder.Length == 0 ? null : folder, (int)(limit ?? DefaultPage), context.Aborted);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        var changes = result.Value!;
        return JsonReply.Ok(
            new ChangesReply(
                changes.Since,
                changes.State,
                changes.More,
                [.. changes.Folders.Select(ToDto)],
                [.. changes.Created.Select(MessageDtos.From)],
                [.. changes.Changed.Select(MessageDtos.From)],
                [.. changes.Removed.Select(r => new RemovedMessageDto(r.Folder, r.Id, r.ModSeq) { To = r.MovedTo, ToId = r.MovedToId })]),
            ProtocolJson.Default.ChangesReply);
    }

    private static FolderChangeDto ToDto(FolderChange change) => new(
        change.Kind switch
        {
            FolderChangeKind.Created => "created",
            FolderChangeKind.Renamed => "renamed",
            _ => "deleted",
        },
        change.Name,
        change.ModSeq)
    {
        OldFolder = change.OldName,
    };
}
