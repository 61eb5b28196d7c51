using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>Moving, copying, deleting and flagging messages. Each call is all-or-nothing.</summary>
public sealed partial class MessageStore
{
    /// <summary>
    /// Moves messages to another folder of the same account; each gets a new id there. A move into the
    /// folder the messages are in already changes nothing and maps every id to itself.
    /// </summary>
    /// <returns>Old id to new id; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.MessageNotFound"/>
    /// (any id missing: nothing moves).</returns>
    public Task<StoreResult<TransferResult>> MoveAsync(long accountId, string folder, IReadOnlyList<long> ids, string target, CancellationToken ct = default)
        => TransferAsync(accountId, folder, ids, target, move: true, ct);

    /// <summary>Copies messages to a folder of the same account (the same one included); each copy gets a new id.</summary>
    /// <returns>Old id to new id; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.MessageNotFound"/>.</returns>
    public Task<StoreResult<TransferResult>> CopyAsync(long accountId, string folder, IReadOnlyList<long> ids, string target, CancellationToken ct = default)
        => TransferAsync(accountId, folder, ids, target, move: false, ct);

    /// <summary>
    /// Deletes messages: outside Trash they move to Trash; in Trash they are expunged for good, and
    /// contents nothing else refers to are removed in the same transaction.
    /// </summary>
    /// <returns>What happened; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.MessageNotFound"/>.</returns>
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
        return await _core.Writer.EnqueueAsync(
            context =>
            {
                if (LoadMessages(context, accountId, canonical, wanted, out var folderId, out var messages) is { } failure)
                {
                    return failure;
                }

                var rows = context.Mailboxes;
                var expunged = new List<long>(messages.Count);
                if (messages.Count > 0)
                {
                    var modSeq = rows.BumpModSeq(accountId)!.Value;
                    var contentIds = new HashSet<long>();
                    foreach (var message in messages)
                    {
                        rows.RemoveMessage(folderId, message.Id, modSeq);
                        contentIds.Add(message.ContentId);
                        expunged.Add(message.Id);
                    }

                    rows.TouchFolder(folderId, modSeq);
                    context.Contents.DeleteUnreferenced(contentIds);
                }

                return StoreResult<DeleteResult>.Success(new DeleteResult(new Dictionary<long, long>(), expunged));
            },
            ct,
            freesSpace: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds and removes flags (add first, then remove). Messages whose flags change get the new
    /// modification sequence.
    /// </summary>
    /// <returns>The resulting flags of every id; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.MessageNotFound"/>.</returns>
    public async Task<StoreResult<IReadOnlyList<FlagChange>>> ChangeFlagsAsync(long accountId, string folder, IReadOnlyList<long> ids, MessageFlags add, MessageFlags remove, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        var wanted = ids.Distinct().ToArray();
        return await _core.Writer.EnqueueAsync<StoreResult<IReadOnlyList<FlagChange>>>(
            context =>
            {
                if (LoadMessages(context, accountId, canonical, wanted, out var folderId, out var messages) is { } failure)
                {
                    return failure;
                }

                var rows = context.Mailboxes;
                var changes = new List<FlagChange>(messages.Count);
                long? modSeq = null;
                long unseenDelta = 0;
                var update = context.Command("UPDATE messages SET flags = $g, modseq = $m WHERE folder_id = $f AND id = $i");
                foreach (var message in messages)
                {
                    var flags = (message.Flags | add) & ~remove;
                    if (flags == message.Flags)
                    {
                        changes.Add(new FlagChange(message.Id, flags, message.ModSeq));
                        continue;
                    }

                    modSeq ??= rows.BumpModSeq(accountId)!.Value;
                    unseenDelta += MailboxRows.UnseenCount(flags) - MailboxRows.UnseenCount(message.Flags);
                    update.Bind("$g", (long)flags).Bind("$m", modSeq.Value).Bind("$f", folderId).Bind("$i", message.Id).ExecuteNonQuery();
                    changes.Add(new FlagChange(message.Id, flags, modSeq.Value));
                }

                if (modSeq is not null)
                {
                    rows.TouchFolder(folderId, modSeq.Value);
                    rows.AdjustUnseen(folderId, unseenDelta);
                }

                return StoreResult<IReadOnlyList<FlagChange>>.Success(changes);
            },
            ct,
            freesSpace: true).ConfigureAwait(false);
    }

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
        return await _core.Writer.EnqueueAsync(
            context =>
            {
                // The folders first (source, then target), then the ids: the failure names the first thing missing.
                var rows = context.Mailboxes;
                if (FindFolder(context, accountId, source, out var sourceId) is { } noSource)
                {
                    return noSource;
                }

                if (FindFolder(context, accountId, destination, out var destinationId) is { } noTarget)
                {
                    return noTarget;
                }

                var messages = rows.LoadMessages(sourceId, wanted, out var missing);
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

                var modSeq = rows.BumpModSeq(accountId)!.Value;
                foreach (var message in messages)
                {
                    var newId = rows.AddMessage(destinationId, message.ContentId, message.Flags, message.Received, modSeq);
                    map[message.Id] = newId;
                    if (move)
                    {
                        rows.RemoveMessage(sourceId, message.Id, modSeq, destinationId, newId);
                    }
                }

                if (move)
                {
                    rows.TouchFolder(sourceId, modSeq);
                }

                return StoreResult<TransferResult>.Success(new TransferResult(destination, map));
            },
            ct,
            freesSpace: move).ConfigureAwait(false);
    }
}
