using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Wire;
using Butterfly.Storage;

namespace Butterfly.Server.Commands;

/// <summary>message.search, thread.get, thread.list (protocol/client.md, "Search and threads").</summary>
internal static class SearchCommands
{
    private const int DefaultPage = 50;
    private const int MaxPage = 500;

    public static async ValueTask<Reply> SearchAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "query", out var text, out var error)
            || !Fields.TryString(context.Head, "folder", out var folder, out error, required: false)
            || !Fields.TryLong(context.Head, "limit", out var limit, out error, 1, MaxPage)
            || !Fields.TryLong(context.Head, "offset", out var offset, out error, 0))
        {
            return error;
        }

        if (!SearchQueryParser.TryParse(text, out var query, out var problem))
        {
            return Reply.Fail(ErrorCode.SearchBadQuery, problem);
        }

        // The request's folder field is the same as an in: in the query; the field wins.
        if (folder.Length > 0)
        {
            query = query with { Folder = folder };
        }

        var page = await context.Services.Store.Search.SearchAsync(context.Account.Id, query, (int)(limit ?? DefaultPage), offset ?? 0, context.Aborted);
        if (!page.Ok)
        {
            return StoreErrors.Fail(page);
        }

        var p = page.Value!;
        return JsonReply.Ok(new MessageSearchReply(p.Next, [.. p.Messages.Select(MessageCommands.ToDto)]), ProtocolJson.Default.MessageSearchReply);
    }

    public static async ValueTask<Reply> ThreadAsync(CommandContext context)
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

        var thread = await context.Services.Store.Search.ThreadAsync(context.Account.Id, folder, id.Value, context.Aborted);
        if (!thread.Ok)
        {
            return StoreErrors.Fail(thread);
        }

        return JsonReply.Ok(new ThreadGetReply([.. thread.Value!.Select(MessageCommands.ToDto)]), ProtocolJson.Default.ThreadGetReply);
    }

    public static async ValueTask<Reply> ListThreadsAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "folder", out var folder, out var error, fallback: "Inbox")
            || !Fields.TryLong(context.Head, "limit", out var limit, out error, 1, MaxPage)
            || !Fields.TryLong(context.Head, "offset", out var offset, out error, 0))
        {
            return error;
        }

        var page = await context.Services.Store.Search.ListThreadsAsync(context.Account.Id, folder, (int)(limit ?? DefaultPage), offset ?? 0, context.Aborted);
        if (!page.Ok)
        {
            return StoreErrors.Fail(page);
        }

        var p = page.Value!;
        var threads = p.Threads.Select(t => new ThreadDto(t.ThreadId, t.Messages, t.Unseen, MessageCommands.ToDto(t.Latest))).ToList();
        return JsonReply.Ok(new ThreadListReply(p.Folder, p.Next, threads), ProtocolJson.Default.ThreadListReply);
    }
}
