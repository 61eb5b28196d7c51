using System.Text.Json;
using Butterfly.Client.Internal;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Client;

/// <summary>Typed helpers for search and threads (protocol/client.md, "Search and threads").</summary>
public sealed partial class ButterflyClient
{
    /// <summary>
    /// Searches the account's mail, newest received first: words, <c>"phrases"</c>, <c>from:</c>, <c>to:</c>,
    /// <c>subject:</c>, <c>in:FOLDER</c>, <c>is:unread|read|flagged|unflagged</c>, <c>has:attachment</c>,
    /// <c>before:</c>/<c>after:</c> YYYY-MM-DD. Without a folder, Trash and Junk are left out.
    /// </summary>
    /// <param name="query">The query.</param>
    /// <param name="folder">Only this folder (the same as <c>in:</c>); null for all.</param>
    /// <param name="limit">Page size (the server caps it at 500).</param>
    /// <param name="offset">Matches to skip: the <see cref="SearchPage.Next"/> of the page before.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="ButterflyException"><c>search.bad-query</c> for a malformed query, <c>folder.not-found</c>.</exception>
    public async Task<SearchPage> SearchAsync(string query, string? folder = null, int limit = 50, long offset = 0, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var head = HeadWriter.Build(Commands.MessageSearch, (query, folder, limit, offset), static (w, s) =>
        {
            w.WriteString("query"u8, s.query);
            if (s.folder is not null)
            {
                w.WriteString("folder"u8, s.folder);
            }

            w.WriteNumber("limit"u8, s.limit);
            w.WriteNumber("offset"u8, s.offset);
        });
        var root = (await CommandAsync(head, default, ct)).Head;
        return new SearchPage(ReadMessages(root), ReplyReader.NullableInt64(root, "next"));
    }

    /// <summary>The conversation a message belongs to, oldest first, across folders.</summary>
    /// <param name="folder">The message's folder.</param>
    /// <param name="id">The message's id.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="ButterflyException">For example <c>message.not-found</c>.</exception>
    public async Task<IReadOnlyList<MessageDto>> GetThreadAsync(string folder, long id, CancellationToken ct = default)
    {
        var root = (await CommandAsync(FolderAndId(Commands.ThreadGet, folder, id), default, ct)).Head;
        return ReadMessages(root);
    }

    /// <summary>Lists a folder one line per conversation, the one with the newest message first.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="limit">Page size (the server caps it at 500).</param>
    /// <param name="offset">Threads to skip: the <see cref="ThreadPage.Next"/> of the page before.</param>
    /// <param name="ct">Cancels the wait.</param>
    public async Task<ThreadPage> ListThreadsAsync(string folder = "Inbox", int limit = 50, long offset = 0, CancellationToken ct = default)
    {
        var head = HeadWriter.Build(Commands.ThreadList, (folder, limit, offset), static (w, s) =>
        {
            w.WriteString("folder"u8, s.folder);
            w.WriteNumber("limit"u8, s.limit);
            w.WriteNumber("offset"u8, s.offset);
        });
        var root = (await CommandAsync(head, default, ct)).Head;
        var threads = root.TryGetProperty("threads", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.Deserialize(ClientJson.Threads) ?? []
            : [];
        return new ThreadPage(ReplyReader.String(root, "folder") ?? folder, threads, ReplyReader.NullableInt64(root, "next"));
    }

    private static List<MessageDto> ReadMessages(JsonElement root) =>
        root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.Deserialize(ClientJson.Messages) ?? []
            : [];
}
