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

        var targets = new (long AccountId, string Folder, MessageFlags Flags)[delivery.Targets.Count];
        for (var i = 0; i < targets.Length; i++)
        {
            var target = delivery.Targets[i];
            if (!FolderNames.TryCanonicalize(target.Folder, out var canonical))
            {
                throw new StoreException(StoreError.FolderInvalidName, $"Invalid folder name '{target.Folder}'.");
            }

            targets[i] = (target.AccountId, canonical, target.Flags);
        }

        // Hashing and encoding happen here, on the caller's thread, not on the writer.
        var content = PreparedContent.Create(delivery.Content, delivery.Summary);
        var received = ToUnixMs(delivery.Received);
        return await _writer.EnqueueAsync<IReadOnlyList<DeliveredCopy>>(
            context =>
            {
                var contentId = context.InsertContent(content);
                var copies = new DeliveredCopy[targets.Length];
                for (var i = 0; i < targets.Length; i++)
                {
                    var (accountId, folder, flags) = targets[i];
                    var modSeq = context.BumpModSeq(accountId)
                        ?? throw new StoreException(StoreError.AccountNotFound, $"Account {accountId} does not exist.");
                    var id = context.AddMessage(accountId, folder, contentId, flags, received, modSeq)
                        ?? throw new StoreException(StoreError.FolderNotFound, $"Account {accountId} has no folder '{folder}'.");
                    copies[i] = new DeliveredCopy(accountId, folder, id);
                }

                return copies;
            },
            ct).ConfigureAwait(false);
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
