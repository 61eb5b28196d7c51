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
        return JsonReply.Ok(folders, static (w, list) =>
        {
            w.WriteStartArray("folders");
            foreach (var f in list)
            {
                JsonSerializer.Serialize(w, ToDto(f), ProtocolJson.Default.FolderDto);
            }

            w.WriteEndArray();
        });
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

        return JsonReply.Ok(result.Value!, static (w, d) =>
        {
            w.WriteStartArray("deleted");
            foreach (var folder in d.Folders)
            {
                w.WriteStringValue(folder);
            }

            w.WriteEndArray();
            w.WriteNumber("messages", d.Messages);
        });
    }

    private static FolderDto ToDto(FolderInfo f) => new(f.Name, f.Messages, f.Unseen, f.NextId, f.ModSeq);

    private static Reply FolderReply(string name) => JsonReply.Ok(name, static (w, n) => w.WriteString("folder", n));
}
