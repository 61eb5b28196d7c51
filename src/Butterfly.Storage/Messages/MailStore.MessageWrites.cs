using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>Storing messages.</summary>
public sealed partial class MailStore
{
    /// <summary>
    /// Stores one content into every target folder in one atomic step, the bytes once. Group-committed
    /// with other writes; the task completes when the transaction is durable.
    /// </summary>
    /// <exception cref="StoreException">A target account or folder does not exist; nothing was stored.</exception>
    public async Task<IReadOnlyList<DeliveredCopy>> DeliverAsync(Delivery delivery, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(delivery.Targets);
        if (delivery.Targets.Count == 0)
        {
            throw new ArgumentException("A delivery needs at least one target.", nameof(delivery));
        }

        var result = await CommitAsync(
            new DeliveryCommit(delivery.Content, delivery.Summary, delivery.Targets, delivery.Received), ct).ConfigureAwait(false);
        return result.Copies;
    }

    /// <summary>Stores a message into one folder of the account (a client's upload, a draft, a sent copy).</summary>
    public async Task<StoreResult<DeliveredCopy>> AppendAsync(long accountId, string folder, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical))
        {
            return StoreResult<DeliveredCopy>.Fail(StoreError.FolderNotFound);
        }

        var prepared = PreparedContent.Create(content, summary);
        var receivedMs = ToUnixMs(received);
        return await _writer.EnqueueAsync(
            context =>
            {
                var folderId = context.FindFolder(accountId, canonical);
                if (folderId is null)
                {
                    return StoreResult<DeliveredCopy>.Fail(StoreError.FolderNotFound);
                }

                var modSeq = context.BumpModSeq(accountId)!.Value;
                var contentId = context.InsertContent(prepared);
                var id = context.AddMessage(folderId.Value, contentId, flags, receivedMs, modSeq);
                return StoreResult<DeliveredCopy>.Success(new DeliveredCopy(accountId, canonical, id));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces a draft: stores the new content under a new id in the same folder and expunges the old
    /// message. Fails with <see cref="StoreError.MessageNotDraft"/> unless the old one has the Draft flag.
    /// </summary>
    public async Task<StoreResult<DeliveredCopy>> ReplaceAsync(long accountId, string folder, long id, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical))
        {
            return StoreResult<DeliveredCopy>.Fail(StoreError.FolderNotFound);
        }

        var prepared = PreparedContent.Create(content, summary);
        var receivedMs = ToUnixMs(received);
        return await _writer.EnqueueAsync(
            context =>
            {
                var folderId = context.FindFolder(accountId, canonical);
                if (folderId is null)
                {
                    return StoreResult<DeliveredCopy>.Fail(StoreError.FolderNotFound);
                }

                var old = LoadMessages(context, folderId.Value, [id]);
                if (old is null)
                {
                    return StoreResult<DeliveredCopy>.Fail(StoreError.MessageNotFound);
                }

                if ((old[0].Flags & MessageFlags.Draft) == 0)
                {
                    return StoreResult<DeliveredCopy>.Fail(StoreError.MessageNotDraft);
                }

                var modSeq = context.BumpModSeq(accountId)!.Value;
                var contentId = context.InsertContent(prepared);
                var newId = context.AddMessage(folderId.Value, contentId, flags, receivedMs, modSeq);
                var oldContent = context.RemoveMessage(folderId.Value, id, modSeq);
                if (oldContent is not null)
                {
                    context.DeleteUnreferencedContents([oldContent.Value]);
                }

                return StoreResult<DeliveredCopy>.Success(new DeliveredCopy(accountId, canonical, newId));
            },
            ct).ConfigureAwait(false);
    }
}
