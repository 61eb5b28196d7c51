using System.Text.Json;
using Butterfly.Protocol.Contracts;
using Butterfly.Server.Wire;
using Butterfly.Storage;

namespace Butterfly.Server.Commands;

/// <summary>folder.list, folder.create, folder.rename, folder.delete (protocol/client.md).</summary>
internal static class FolderCommands
{
    public static async ValueTask<Reply> ListAsync(CommandContext context)
    {
        var folders = await context.Services.Store.Folders.ListAsync(context.Account.Id, context.Aborted);
        return JsonReply.Ok(new FolderListReply([.. folders.Select(ToDto)]), ProtocolJson.Default.FolderListReply);
    }

    public static async ValueTask<Reply> CreateAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "folder", out var name, out var error))
        {
            return error;
        }

        var result = await context.Services.Store.Folders.CreateAsync(context.Account.Id, name);
        return result.Ok ? FolderReply(result.Value!.Name) : StoreErrors.Fail(result);
    }

    public static async ValueTask<Reply> RenameAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "folder", out var name, out var error)
            || !Fields.TryString(context.Head, "to", out var to, out error))
        {
            return error;
        }

        var result = await context.Services.Store.Folders.RenameAsync(context.Account.Id, name, to);
        return result.Ok ? FolderReply(result.Value!.Name) : StoreErrors.Fail(result);
    }

    public static async ValueTask<Reply> DeleteAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "folder", out var name, out var error)
            || !Fields.TryBool(context.Head, "recursive", out var recursive, out error))
        {
            return error;
        }

        var result = await context.Services.Store.Folders.DeleteAsync(context.Account.Id, name, recursive);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        var deletion = result.Value!;
        return JsonReply.Ok(new FolderDeleteReply(deletion.Folders, deletion.Messages), ProtocolJson.Default.FolderDeleteReply);
    }

    private static FolderDto ToDto(FolderInfo f) => new(f.Name, f.Messages, f.Unseen, f.NextId, f.ModSeq);

    private static Reply FolderReply(string name) => JsonReply.Ok(new FolderReply(name), ProtocolJson.Default.FolderReply);
}
