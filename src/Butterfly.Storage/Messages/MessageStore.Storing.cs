using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>Storing a client's own messages: uploads and drafts.</summary>
public sealed partial class MessageStore
{
    /// <summary>Stores a message into one folder of the account (a client's upload, a draft, a sent copy).</summary>
    /// <returns>Where it landed; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.StorageFull"/>.</returns>
    public Task<StoreResult<DeliveredCopy>> AppendAsync(long accountId, string folder, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received, CancellationToken ct = default)
        => AppendAsync(accountId, folder, content, summary, flags, received, null, ct);

    /// <summary>
    /// Stores a message into one folder of the account and records the client's submission id in the
    /// same transaction. When the account's id was recorded already, nothing is stored and the copy the
    /// first append made is returned (protocol/client.md, "Submission ids").
    /// </summary>
    /// <returns>Where it landed (or landed the first time); or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.StorageFull"/>.</returns>
    public async Task<StoreResult<DeliveredCopy>> AppendAsync(long accountId, string folder, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received, SubmissionRecord? submission, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        if (_core.Space.RefuseNewMail(content.Length) is { } full)
        {
            return full;
        }

        var prepared = PreparedContent.Create(content, summary);
        var receivedMs = UnixTime.ToMs(received);
        await _core.Backlog.WaitForRoomAsync(ct).ConfigureAwait(false);
        return await _core.Writer.EnqueueAsync(
            context =>
            {
                if (submission is not null && SubmissionRows.Find(context, submission) is { } answer)
                {
                    return StoreResult<DeliveredCopy>.Success(answer.Copy);
                }

                if (FindFolder(context, accountId, canonical, out var folderId) is { } failure)
                {
                    return failure;
                }

                var copy = new DeliveredCopy(accountId, canonical, AddCopy(context, accountId, folderId, prepared, flags, receivedMs));
                if (submission is not null)
                {
                    SubmissionRows.Insert(context, submission, copy, UnixTime.ToMs(DateTimeOffset.UtcNow));
                }

                return StoreResult<DeliveredCopy>.Success(copy);
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces a draft: stores the new content under a new id in the same folder and expunges the old
    /// message, in one transaction.
    /// </summary>
    /// <returns>Where the new version landed; or <see cref="StoreError.FolderNotFound"/>,
    /// <see cref="StoreError.MessageNotFound"/>, <see cref="StoreError.MessageNotDraft"/>, <see cref="StoreError.StorageFull"/>.</returns>
    public async Task<StoreResult<DeliveredCopy>> ReplaceAsync(long accountId, string folder, long id, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        if (_core.Space.RefuseNewMail(content.Length) is { } full)
        {
            return full;
        }

        var prepared = PreparedContent.Create(content, summary);
        var receivedMs = UnixTime.ToMs(received);
        await _core.Backlog.WaitForRoomAsync(ct).ConfigureAwait(false);
        return await _core.Writer.EnqueueAsync(
            context =>
            {
                if (LoadMessages(context, accountId, canonical, [id], out var folderId, out var old) is { } failure)
                {
                    return failure;
                }

                if ((old[0].Flags & MessageFlags.Draft) == 0)
                {
                    return Failures.MessageNotDraft(id, canonical);
                }

                var rows = context.Mailboxes;
                var modSeq = rows.BumpModSeq(accountId)!.Value;
                var contentId = context.Contents.Insert(prepared);
                var newId = rows.AddMessage(folderId, contentId, flags, receivedMs, modSeq);
                context.Search.Thread(accountId, contentId, prepared.Summary!, receivedMs, modSeq);
                var oldContent = rows.RemoveMessage(folderId, id, modSeq);
                if (oldContent is not null)
                {
                    context.Contents.DeleteUnreferenced([oldContent.Value]);
                }

                return StoreResult<DeliveredCopy>.Success(new DeliveredCopy(accountId, canonical, newId));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>On the writer: stores the content (once) and a new message row for it in the folder, indexed and threaded; returns its id.</summary>
    private static long AddCopy(WriterContext context, long accountId, long folderId, PreparedContent prepared, MessageFlags flags, long receivedMs)
    {
        var rows = context.Mailboxes;
        var modSeq = rows.BumpModSeq(accountId)!.Value;
        var contentId = context.Contents.Insert(prepared);
        var id = rows.AddMessage(folderId, contentId, flags, receivedMs, modSeq);
        context.Search.Thread(accountId, contentId, prepared.Summary!, receivedMs, modSeq);
        return id;
    }
}
