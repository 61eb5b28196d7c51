using System.Text.Json;
using Butterfly.Client.Internal;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Client;

/// <summary>Typed helpers for the folder commands.</summary>
public sealed partial class ButterflyClient
{
    private static readonly byte[] _folderListHead = HeadWriter.Command(Commands.FolderList);

    /// <summary>Lists the account's folders with their counters.</summary>
    /// <param name="ct">Cancels the wait.</param>
    public async Task<IReadOnlyList<FolderDto>> ListFoldersAsync(CancellationToken ct = default)
    {
        var reply = await CommandAsync(_folderListHead, default, ct);
        return reply.Head.TryGetProperty("folders", out var folders) && folders.ValueKind == JsonValueKind.Array
            ? folders.Deserialize(ClientJson.Folders) ?? []
            : [];
    }

    /// <summary>Creates a folder (parents included, e.g. <c>Archive/2026</c>).</summary>
    /// <param name="folder">The folder path.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>The folder's name as the server stored it (spaces around segments trimmed, <c>Inbox</c> capitalised).</returns>
    /// <exception cref="ButterflyException">For example <c>folder.exists</c> or <c>folder.invalid-name</c>.</exception>
    public async Task<string> CreateFolderAsync(string folder, CancellationToken ct = default)
    {
        var reply = await CommandAsync(HeadWriter.Build(Commands.FolderCreate, folder, static (w, f) => w.WriteString("folder"u8, f)), default, ct);
        return ReplyReader.String(reply.Head, "folder") ?? folder;
    }

    /// <summary>Renames (or moves) a folder with its subfolders.</summary>
    /// <param name="folder">The folder path.</param>
    /// <param name="to">The new path.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>The new name as the server stored it (spaces around segments trimmed, <c>Inbox</c> capitalised).</returns>
    public async Task<string> RenameFolderAsync(string folder, string to, CancellationToken ct = default)
    {
        var reply = await CommandAsync(HeadWriter.Build(Commands.FolderRename, (folder, to), static (w, s) =>
        {
            w.WriteString("folder"u8, s.folder);
            w.WriteString("to"u8, s.to);
        }), default, ct);
        return ReplyReader.String(reply.Head, "folder") ?? to;
    }

    /// <summary>Deletes a folder; with <paramref name="recursive"/>, also its subfolders and messages, for good.</summary>
    /// <param name="folder">The folder path.</param>
    /// <param name="recursive">Delete a non-empty folder too.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="ButterflyException">For example <c>folder.not-empty</c> or <c>folder.protected</c>.</exception>
    public async Task<FolderDeleteResult> DeleteFolderAsync(string folder, bool recursive = false, CancellationToken ct = default)
    {
        var head = HeadWriter.Build(Commands.FolderDelete, (folder, recursive), static (w, s) =>
        {
            w.WriteString("folder"u8, s.folder);
            w.WriteBoolean("recursive"u8, s.recursive);
        });
        var reply = await CommandAsync(head, default, ct);
        return new FolderDeleteResult(ReplyReader.Strings(reply.Head, "deleted"), ReplyReader.Int64(reply.Head, "messages"));
    }
}
