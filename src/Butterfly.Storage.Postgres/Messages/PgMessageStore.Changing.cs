using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;

namespace Butterfly.Storage.Postgres;

/// <summary>Moving, copying, deleting and flagging messages. Each call is one transaction.</summary>
public sealed partial class PgMessageStore
{
    /// <inheritdoc/>
    public Task<StoreResult<TransferResult>> MoveAsync(long accountId, string folder, IReadOnlyList<long> ids, string target, CancellationToken ct = default)
        => TransferAsync(accountId, folder, ids, target, move: true, ct);

    /// <inheritdoc/>
    public Task<StoreResult<TransferResult>> CopyAsync(long accountId, string folder, IReadOnlyList<long> ids, string target, CancellationToken ct = default)
        => TransferAsync(accountId, folder, ids, target, move: false, ct);

    /// <inheritdoc/>
    public async Task<StoreResult<DeleteResult>> DeleteAsync(long accountId, string folder, IReadOnlyList<long> ids, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        if (canonical != FolderNames.Trash)
        {
            var moved = await TransferAsync(accountId, canonical, ids, FolderNames.Trash, move: true, ct).ConfigureAwait(false);
            return moved.Ok ? StoreResult<DeleteResult>.Success(new DeleteResult(moved.Value!.Ids, [])) : moved.Failure;
        }

        var wanted = ids.Distinct().ToArray();
        return await _db.WriteAsync<StoreResult<DeleteResult>>(
            async write =>
            {
                var (folderId, messages, failure) = await LoadMessagesAsync(write, accountId, canonical, wanted).ConfigureAwait(false);
                if (failure is { } noFolderOrMessage)
                {
                    return noFolderOrMessage;
                }

                var expunged = new List<long>(messages.Count);
                if (messages.Count > 0)
                {
                    var modSeq = (await write.BumpModSeqAsync(accountId).ConfigureAwait(false))!.Value;
                    var contentIds = new HashSet<long>();
                    foreach (var message in messages)
                    {
                        await write.RemoveMessageAsync(folderId, message.Id, modSeq).ConfigureAwait(false);
                        contentIds.Add(message.ContentId);
                        expunged.Add(message.Id);
                    }

                    await write.TouchFolderAsync(folderId, modSeq).ConfigureAwait(false);
                    await write.DeleteUnreferencedAsync(contentIds).ConfigureAwait(false);
                }

                return StoreResult<DeleteResult>.Success(new DeleteResult(new Dictionary<long, long>(), expunged));
            },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoreResult<IReadOnlyList<FlagChange>>> ChangeFlagsAsync(
        long accountId, string folder, IReadOnlyList<long> ids, MessageFlags add, MessageFlags remove, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        var wanted = ids.Distinct().ToArray();
        return await _db.WriteAsync<StoreResult<IReadOnlyList<FlagChange>>>(
            async write =>
            {
                var (folderId, messages, failure) = await LoadMessagesAsync(write, accountId, canonical, wanted).ConfigureAwait(false);
                if (failure is { } noFolderOrMessage)
                {
                    return noFolderOrMessage;
                }

                var changes = new List<FlagChange>(messages.Count);
                long? modSeq = null;
                long unseenDelta = 0;
                foreach (var message in messages)
                {
                    var flags = (message.Flags | add) & ~remove;
                    if (flags == message.Flags)
                    {
                        changes.Add(new FlagChange(message.Id, flags, message.ModSeq));
                        continue;
                    }

                    modSeq ??= (await write.BumpModSeqAsync(accountId).ConfigureAwait(false))!.Value;
                    unseenDelta += UnseenCount(flags) - UnseenCount(message.Flags);
                    await write.ExecuteAsync(
                        "UPDATE messages SET flags = @g, modseq = @m WHERE folder_id = @f AND id = @i",
                        ("g", (long)flags), ("m", modSeq.Value), ("f", folderId), ("i", message.Id)).ConfigureAwait(false);
                    changes.Add(new FlagChange(message.Id, flags, modSeq.Value));
                }

                if (modSeq is not null)
                {
                    await write.TouchFolderAsync(folderId, modSeq.Value).ConfigureAwait(false);
                    await write.AdjustUnseenAsync(folderId, unseenDelta).ConfigureAwait(false);
                }

                return StoreResult<IReadOnlyList<FlagChange>>.Success(changes);
            },
            ct).ConfigureAwait(false);
    }

    private static long UnseenCount(MessageFlags flags) => (flags & MessageFlags.Seen) == 0 ? 1 : 0;

    private async Task<StoreResult<TransferResult>> TransferAsync(long accountId, string folder, IReadOnlyList<long> ids, string target, bool move, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!FolderNames.TryCanonicalize(folder, out var source, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        if (!FolderNames.TryCanonicalize(target, out var destination, out _))
        {
            return Failures.FolderNotFound(target);
        }

        var wanted = ids.Distinct().ToArray();
        return await _db.WriteAsync<StoreResult<TransferResult>>(
            async write =>
            {
                // The folders first (source, then target), then the ids: the failure names the first thing missing.
                var (sourceId, noSource) = await FindFolderAsync(write, accountId, source).ConfigureAwait(false);
                if (noSource is { } missingSource)
                {
                    return missingSource;
                }

                var (destinationId, noTarget) = await FindFolderAsync(write, accountId, destination).ConfigureAwait(false);
                if (noTarget is { } missingTarget)
                {
                    return missingTarget;
                }

                var (messages, missing) = await write.LoadMessagesAsync(sourceId, wanted).ConfigureAwait(false);
                if (messages is null)
                {
                    return Failures.MessageNotFound(missing, source);
                }

                var map = new Dictionary<long, long>(messages.Count);
                if (move && sourceId == destinationId)
                {
                    // protocol/client.md, "message.move": a move into the same folder keeps every message as it is.
                    foreach (var message in messages)
                    {
                        map[message.Id] = message.Id;
                    }

                    return StoreResult<TransferResult>.Success(new TransferResult(destination, map));
                }

                if (messages.Count == 0)
                {
                    return StoreResult<TransferResult>.Success(new TransferResult(destination, map));
                }

                var modSeq = (await write.BumpModSeqAsync(accountId).ConfigureAwait(false))!.Value;
                foreach (var message in messages)
                {
                    var newId = await write.AddMessageAsync(destinationId, message.ContentId, message.Flags, message.Received, modSeq).ConfigureAwait(false);
                    map[message.Id] = newId;
                    if (move)
                    {
                        await write.RemoveMessageAsync(sourceId, message.Id, modSeq, destinationId, newId).ConfigureAwait(false);
                    }
                }

                if (move)
                {
                    await write.TouchFolderAsync(sourceId, modSeq).ConfigureAwait(false);
                }

                return StoreResult<TransferResult>.Success(new TransferResult(destination, map));
            },
            ct).ConfigureAwait(false);
    }
}
