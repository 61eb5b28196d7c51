using System.Text.Json;
using Butterfly.Client.Internal;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Client;

/// <summary>Typed helpers for the message commands.</summary>
public sealed partial class ButterflyClient
{
    /// <summary>Lists a folder's messages, newest first, one page at a time.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="limit">Page size (the server caps it at 500).</param>
    /// <param name="before">Only messages with a smaller id; null for the first page.</param>
    /// <param name="ct">Cancels the wait.</param>
    public async Task<MessagePage> ListMessagesAsync(string folder = "Inbox", int limit = 50, long? before = null, CancellationToken ct = default)
    {
        var head = HeadWriter.Build(Commands.MessageList, (folder, limit, before), static (w, s) =>
        {
            w.WriteString("folder"u8, s.folder);
            w.WriteNumber("limit"u8, s.limit);
            if (s.before is { } b)
            {
                w.WriteNumber("before"u8, b);
            }
        });
        var reply = await CommandAsync(head, default, ct);
        var root = reply.Head;
        var messages = root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.Deserialize(ClientJson.Messages) ?? []
            : [];
        return new MessagePage(ReplyReader.String(root, "folder") ?? folder, ReplyReader.Int64(root, "total"), messages, ReplyReader.NullableInt64(root, "next"));
    }

    /// <summary>Fetches one message's exact bytes.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="id">The message id.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="ButterflyException">For example <c>message.not-found</c>.</exception>
    public async Task<FetchedMessage> FetchAsync(string folder, long id, CancellationToken ct = default)
    {
        var reply = await CommandAsync(FolderAndId(Commands.MessageFetch, folder, id), default, ct);
        var root = reply.Head;
        return new FetchedMessage(
            ReplyReader.String(root, "folder") ?? folder,
            root.TryGetProperty("id", out _) ? ReplyReader.Int64(root, "id") : id,
            ReplyReader.Int64(root, "size"),
            ReplyReader.Strings(root, "flags"),
            ReplyReader.Date(root, "received"),
            reply.Body.ToArray());
    }

    /// <summary>Appends a message to a folder (for example a draft) under a new submission id; returns its id.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="message">The RFC 5322 bytes.</param>
    /// <param name="flags">Flags to set, e.g. <c>draft</c>.</param>
    /// <param name="ct">Cancels the wait.</param>
    public Task<long> StoreAsync(string folder, ReadOnlyMemory<byte> message, IEnumerable<string>? flags = null, CancellationToken ct = default) =>
        StoreAsync(folder, message, flags, SubmissionIds.New(), ct);

    /// <summary>
    /// Appends a message to a folder under the given submission id; a repeat with the same id returns
    /// the first append's id and stores nothing new (protocol/client.md, "Submission ids").
    /// </summary>
    /// <param name="folder">The folder.</param>
    /// <param name="message">The RFC 5322 bytes.</param>
    /// <param name="flags">Flags to set, e.g. <c>draft</c>.</param>
    /// <param name="submissionId">The submission id (<see cref="SubmissionIds.New"/>).</param>
    /// <param name="ct">Cancels the wait.</param>
    public async Task<long> StoreAsync(string folder, ReadOnlyMemory<byte> message, IEnumerable<string>? flags, string submissionId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(submissionId);
        var head = HeadWriter.Build(Commands.MessageStore, (folder, flags, submissionId), static (w, s) =>
        {
            w.WriteString("folder"u8, s.folder);
            if (s.flags is not null)
            {
                HeadWriter.WriteStrings(w, "flags", s.flags);
            }

            w.WriteString("submission"u8, s.submissionId);
        });
        var reply = await CommandAsync(head, message, ct);
        return ReplyReader.Int64(reply.Head, "id");
    }

    /// <summary>Replaces a draft with new bytes; returns the new id.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="id">The draft's id.</param>
    /// <param name="message">The new RFC 5322 bytes.</param>
    /// <param name="ct">Cancels the wait.</param>
    public async Task<long> ReplaceAsync(string folder, long id, ReadOnlyMemory<byte> message, CancellationToken ct = default)
    {
        var reply = await CommandAsync(FolderAndId(Commands.MessageReplace, folder, id), message, ct);
        return ReplyReader.Int64(reply.Head, "id");
    }

    /// <summary>Moves messages to another folder; returns old id to new id.</summary>
    /// <param name="folder">The source folder.</param>
    /// <param name="ids">The message ids.</param>
    /// <param name="to">The target folder.</param>
    /// <param name="ct">Cancels the wait.</param>
    public Task<IReadOnlyDictionary<long, long>> MoveAsync(string folder, IReadOnlyList<long> ids, string to, CancellationToken ct = default) =>
        TransferAsync(Commands.MessageMove, folder, ids, to, ct);

    /// <summary>Copies messages to another folder; returns old id to new id.</summary>
    /// <param name="folder">The source folder.</param>
    /// <param name="ids">The message ids.</param>
    /// <param name="to">The target folder.</param>
    /// <param name="ct">Cancels the wait.</param>
    public Task<IReadOnlyDictionary<long, long>> CopyAsync(string folder, IReadOnlyList<long> ids, string to, CancellationToken ct = default) =>
        TransferAsync(Commands.MessageCopy, folder, ids, to, ct);

    /// <summary>Deletes messages: moves them to Trash, or removes them for good when already in Trash.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="ids">The message ids.</param>
    /// <param name="ct">Cancels the wait.</param>
    public async Task<DeleteMessagesResult> DeleteAsync(string folder, IReadOnlyList<long> ids, CancellationToken ct = default)
    {
        var head = HeadWriter.Build(Commands.MessageDelete, (folder, ids), static (w, s) =>
        {
            w.WriteString("folder"u8, s.folder);
            HeadWriter.WriteIds(w, "ids", s.ids);
        });
        var reply = await CommandAsync(head, default, ct);
        return new DeleteMessagesResult(ReplyReader.IdMap(reply.Head, "trashed"), ReplyReader.Int64s(reply.Head, "expunged"));
    }

    /// <summary>Adds and removes flags; returns each message's flags afterwards.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="ids">The message ids.</param>
    /// <param name="add">Flags to add.</param>
    /// <param name="remove">Flags to remove.</param>
    /// <param name="ct">Cancels the wait.</param>
    public async Task<IReadOnlyList<FlagState>> ChangeFlagsAsync(string folder, IReadOnlyList<long> ids, IEnumerable<string>? add, IEnumerable<string>? remove, CancellationToken ct = default)
    {
        var head = HeadWriter.Build(Commands.MessageFlags, (folder, ids, add, remove), static (w, s) =>
        {
            w.WriteString("folder"u8, s.folder);
            HeadWriter.WriteIds(w, "ids", s.ids);
            HeadWriter.WriteStrings(w, "add", s.add);
            HeadWriter.WriteStrings(w, "remove", s.remove);
        });
        var reply = await CommandAsync(head, default, ct);
        var states = new List<FlagState>();
        if (reply.Head.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                states.Add(new FlagState(ReplyReader.Int64(item, "id"), ReplyReader.Strings(item, "flags"), ReplyReader.Int64(item, "modseq")));
            }
        }

        return states;
    }

    /// <summary>
    /// Sends a message; the reply comes once it is durable for every recipient. The request carries
    /// <see cref="SendRequest.SubmissionId"/>, or a new id when it has none.
    /// </summary>
    /// <param name="request">The message, in simple or raw form.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="ButterflyException">For example <c>recipient.unknown</c>.</exception>
    public Task<SendResult> SendAsync(SendRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(request, request.SubmissionId ?? SubmissionIds.New(), ct);
    }

    /// <summary>Sends under a given submission id (see <see cref="SendAsync(SendRequest, CancellationToken)"/>).</summary>
    internal async Task<SendResult> SendAsync(SendRequest request, string submissionId, CancellationToken ct)
    {
        var head = HeadWriter.Build(Commands.Send, (request, submissionId), static (w, s) =>
        {
            var r = s.request;
            w.WriteString("submission"u8, s.submissionId);
            if (r.IsRaw)
            {
                if (r.Rcpt is not null)
                {
                    HeadWriter.WriteStrings(w, "rcpt", r.Rcpt);
                }

                return;
            }

            HeadWriter.WriteStrings(w, "to", r.To);
            HeadWriter.WriteStrings(w, "cc", r.Cc);
            HeadWriter.WriteStrings(w, "bcc", r.Bcc);
            w.WriteString("subject"u8, r.Subject ?? "");
            w.WriteString("text"u8, r.Text ?? "");
        });
        var reply = await CommandAsync(head, request.IsRaw ? request.Raw : default, ct);
        var root = reply.Head;
        string sentFolder = "Sent";
        long sentId = 0;
        if (root.TryGetProperty("sent", out var sent) && sent.ValueKind == JsonValueKind.Object)
        {
            sentFolder = ReplyReader.String(sent, "folder") ?? sentFolder;
            sentId = ReplyReader.Int64(sent, "id");
        }

        var recipients = new List<RecipientStatus>();
        if (root.TryGetProperty("recipients", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                recipients.Add(new RecipientStatus(ReplyReader.String(item, "address") ?? "", ReplyReader.String(item, "status") ?? "") { Via = ReplyReader.String(item, "via") });
            }
        }

        return new SendResult(ReplyReader.String(root, "messageId") ?? "", sentFolder, sentId, recipients);
    }

    private static byte[] FolderAndId(string cmd, string folder, long id) =>
        HeadWriter.Build(cmd, (folder, id), static (w, s) =>
        {
            w.WriteString("folder"u8, s.folder);
            w.WriteNumber("id"u8, s.id);
        });

    private async Task<IReadOnlyDictionary<long, long>> TransferAsync(string cmd, string folder, IReadOnlyList<long> ids, string to, CancellationToken ct)
    {
        var head = HeadWriter.Build(cmd, (folder, ids, to), static (w, s) =>
        {
            w.WriteString("folder"u8, s.folder);
            HeadWriter.WriteIds(w, "ids", s.ids);
            w.WriteString("to"u8, s.to);
        });
        var reply = await CommandAsync(head, default, ct);
        return ReplyReader.IdMap(reply.Head, "ids");
    }
}
