using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>Moving, copying, deleting and flagging messages. Each call is all-or-nothing.</summary>
public sealed partial class MailStore
{
    /// <summary>
    /// Moves messages to another folder of the same account; each gets a new id there. All or nothing:
    /// <see cref="StoreError.MessageNotFound"/> if any id is missing. Returns old id to new id.
    /// </summary>
    public Task<StoreResult<IReadOnlyDictionary<long, long>>> MoveAsync(long accountId, string folder, IReadOnlyList<long> ids, string target, CancellationToken ct = default)
        => TransferAsync(accountId, folder, ids, target, move: true, ct);

    /// <summary>Copies messages to another folder of the same account. Returns old id to new id.</summary>
    public Task<StoreResult<IReadOnlyDictionary<long, long>>> CopyAsync(long accountId, string folder, IReadOnlyList<long> ids, string target, CancellationToken ct = default)
        => TransferAsync(accountId, folder, ids, target, move: false, ct);

    /// <summary>
    /// Deletes messages: outside Trash they move to Trash; in Trash they are expunged for good, and
    /// contents no longer referenced are removed in the same transaction.
    /// </summary>
    public async Task<StoreResult<DeleteResult>> DeleteMessagesAsync(long accountId, string folder, IReadOnlyList<long> ids, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!FolderNames.TryCanonicalize(folder, out var canonical))
        {
            return StoreResult<DeleteResult>.Fail(StoreError.FolderNotFound);
        }

        if (canonical != FolderNames.Trash)
        {
            var moved = await TransferAsync(accountId, canonical, ids, FolderNames.Trash, move: true, ct).ConfigureAwait(false);
            return moved.Ok
                ? StoreResult<DeleteResult>.Success(new DeleteResult(moved.Value!, []))
                : StoreResult<DeleteResult>.Fail(moved.Error);
        }

        var wanted = ids.Distinct().ToArray();
        return await _writer.EnqueueAsync(
            context =>
            {
                var folderId = context.FindFolder(accountId, canonical);
                if (folderId is null)
                {
                    return StoreResult<DeleteResult>.Fail(StoreError.FolderNotFound);
                }

                var messages = LoadMessages(context, folderId.Value, wanted);
                if (messages is null)
                {
                    return StoreResult<DeleteResult>.Fail(StoreError.MessageNotFound);
                }

                var expunged = new List<long>(messages.Count);
                if (messages.Count > 0)
                {
                    var modSeq = context.BumpModSeq(accountId)!.Value;
                    var contentIds = new HashSet<long>();
                    foreach (var message in messages)
                    {
                        context.RemoveMessage(folderId.Value, message.Id, modSeq);
                        contentIds.Add(message.ContentId);
                        expunged.Add(message.Id);
                    }

                    context.TouchFolder(folderId.Value, modSeq);
                    context.DeleteUnreferencedContents(contentIds);
                }

                return StoreResult<DeleteResult>.Success(new DeleteResult(new Dictionary<long, long>(), expunged));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds and removes flags (add first, then remove). Messages whose flags change get the new
    /// modification sequence. Returns the resulting flags of every id. All or nothing.
    /// </summary>
    public async Task<StoreResult<IReadOnlyList<FlagChange>>> ChangeFlagsAsync(long accountId, string folder, IReadOnlyList<long> ids, MessageFlags add, MessageFlags remove, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!FolderNames.TryCanonicalize(folder, out var canonical))
        {
            return StoreResult<IReadOnlyList<FlagChange>>.Fail(StoreError.FolderNotFound);
        }

        var wanted = ids.Distinct().ToArray();
        return await _writer.EnqueueAsync(
            context =>
            {
                var folderId = context.FindFolder(accountId, canonical);
                if (folderId is null)
                {
                    return StoreResult<IReadOnlyList<FlagChange>>.Fail(StoreError.FolderNotFound);
                }

                var messages = LoadMessages(context, folderId.Value, wanted);
                if (messages is null)
                {
                    return StoreResult<IReadOnlyList<FlagChange>>.Fail(StoreError.MessageNotFound);
                }

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

                    modSeq ??= context.BumpModSeq(accountId)!.Value;
                    unseenDelta += WriterContext.UnseenCount(flags) - WriterContext.UnseenCount(message.Flags);
                    update.Bind("$g", (long)flags).Bind("$m", modSeq.Value).Bind("$f", folderId.Value).Bind("$i", message.Id)
                        .ExecuteNonQuery();
                    changes.Add(new FlagChange(message.Id, flags, modSeq.Value));
                }

                if (modSeq is not null)
                {
                    context.TouchFolder(folderId.Value, modSeq.Value);
                    context.AdjustUnseen(folderId.Value, unseenDelta);
                }

                return StoreResult<IReadOnlyList<FlagChange>>.Success(changes);
            },
            ct).ConfigureAwait(false);
    }

    private async Task<StoreResult<IReadOnlyDictionary<long, long>>> TransferAsync(long accountId, string folder, IReadOnlyList<long> ids, string target, bool move, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!FolderNames.TryCanonicalize(folder, out var source) || !FolderNames.TryCanonicalize(target, out var destination))
        {
            return StoreResult<IReadOnlyDictionary<long, long>>.Fail(StoreError.FolderNotFound);
        }

        var wanted = ids.Distinct().ToArray();
        return await _writer.EnqueueAsync(
            context =>
            {
                var sourceId = context.FindFolder(accountId, source);
                var destinationId = context.FindFolder(accountId, destination);
                if (sourceId is null || destinationId is null)
                {
                    return StoreResult<IReadOnlyDictionary<long, long>>.Fail(StoreError.FolderNotFound);
                }

                var messages = LoadMessages(context, sourceId.Value, wanted);
                if (messages is null)
                {
                    return StoreResult<IReadOnlyDictionary<long, long>>.Fail(StoreError.MessageNotFound);
                }

                var map = new Dictionary<long, long>(messages.Count);
                if (messages.Count == 0)
                {
                    return StoreResult<IReadOnlyDictionary<long, long>>.Success(map);
                }

                var modSeq = context.BumpModSeq(accountId)!.Value;
                foreach (var message in messages)
                {
                    map[message.Id] = context.AddMessage(destinationId.Value, message.ContentId, message.Flags, message.Received, modSeq);
                    if (move)
                    {
                        context.RemoveMessage(sourceId.Value, message.Id, modSeq);
                    }
                }

                if (move)
                {
                    context.TouchFolder(sourceId.Value, modSeq);
                }

                return StoreResult<IReadOnlyDictionary<long, long>>.Success(map);
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>Loads the rows of the given ids, in the given order; null if any is missing.</summary>
    private static List<MessageRow>? LoadMessages(WriterContext context, long folderId, IReadOnlyList<long> ids)
    {
        var rows = new List<MessageRow>(ids.Count);
        var select = context.Command("SELECT content_id, flags, received, modseq FROM messages WHERE folder_id = $f AND id = $i");
        foreach (var id in ids)
        {
            using var reader = select.Bind("$f", folderId).Bind("$i", id).ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            rows.Add(new MessageRow(id, reader.GetInt64(0), (MessageFlags)reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return rows;
    }
}
