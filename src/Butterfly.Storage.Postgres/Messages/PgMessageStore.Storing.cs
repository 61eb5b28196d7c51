using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;

namespace Butterfly.Storage.Postgres;

/// <summary>Storing a client's own messages (uploads, drafts), importing, and emptying a folder.</summary>
public sealed partial class PgMessageStore
{
    private const string DuplicateSql =
        "SELECT m.id FROM contents c JOIN messages m ON m.content_id = c.id WHERE c.sha256 = @h AND m.folder_id = @f LIMIT 1";

    /// <inheritdoc/>
    public Task<StoreResult<DeliveredCopy>> AppendAsync(
        long accountId, string folder, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received, CancellationToken ct = default)
        => AppendAsync(accountId, folder, content, summary, flags, received, null, ct);

    /// <inheritdoc/>
    public async Task<StoreResult<DeliveredCopy>> AppendAsync(
        long accountId, string folder, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received,
        SubmissionRecord? submission, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        var prepared = PreparedContent.Create(content, summary);
        var receivedMs = UnixTime.ToMs(received);
        return await _db.WriteAsync<StoreResult<DeliveredCopy>>(
            async write =>
            {
                // The account's row first: a retry waits for the original and then finds its record.
                await write.LockAccountAsync(accountId).ConfigureAwait(false);
                if (submission is not null && await write.FindSubmissionAsync(submission).ConfigureAwait(false) is { } answer)
                {
                    return StoreResult<DeliveredCopy>.Success(answer.Copy);
                }

                var (folderId, failure) = await FindFolderAsync(write, accountId, canonical).ConfigureAwait(false);
                if (failure is { } noFolder)
                {
                    return noFolder;
                }

                var copy = new DeliveredCopy(accountId, canonical, await AddCopyAsync(write, accountId, folderId, prepared, flags, receivedMs).ConfigureAwait(false));
                if (submission is not null)
                {
                    await write.InsertSubmissionAsync(submission, copy, UnixTime.ToMs(DateTimeOffset.UtcNow)).ConfigureAwait(false);
                }

                return StoreResult<DeliveredCopy>.Success(copy);
            },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoreResult<DeliveredCopy>> ReplaceAsync(
        long accountId, string folder, long id, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        var prepared = PreparedContent.Create(content, summary);
        var receivedMs = UnixTime.ToMs(received);
        return await _db.WriteAsync<StoreResult<DeliveredCopy>>(
            async write =>
            {
                var (folderId, old, failure) = await LoadMessagesAsync(write, accountId, canonical, [id]).ConfigureAwait(false);
                if (failure is { } noFolderOrMessage)
                {
                    return noFolderOrMessage;
                }

                if ((old[0].Flags & MessageFlags.Draft) == 0)
                {
                    return Failures.MessageNotDraft(id, canonical);
                }

                var modSeq = (await write.BumpModSeqAsync(accountId).ConfigureAwait(false))!.Value;
                var contentId = await write.InsertContentAsync(prepared).ConfigureAwait(false);
                var newId = await write.AddMessageAsync(folderId, contentId, flags, receivedMs, modSeq).ConfigureAwait(false);
                await write.ThreadAsync(accountId, contentId, prepared.Summary!, receivedMs, modSeq).ConfigureAwait(false);
                if (await write.RemoveMessageAsync(folderId, id, modSeq).ConfigureAwait(false) is { } oldContent)
                {
                    await write.DeleteUnreferencedAsync([oldContent]).ConfigureAwait(false);
                }

                return StoreResult<DeliveredCopy>.Success(new DeliveredCopy(accountId, canonical, newId));
            },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoreResult<ImportedCopy>> ImportAsync(
        long accountId, string folder, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        var prepared = PreparedContent.Create(content, summary);
        var receivedMs = UnixTime.ToMs(received);
        return await _db.WriteAsync<StoreResult<ImportedCopy>>(
            async write =>
            {
                // The account first: its row lock orders concurrent imports, so the duplicate and quota checks see each other's copies.
                if (!await write.LockAccountAsync(accountId).ConfigureAwait(false))
                {
                    return Failures.FolderNotFound(canonical);
                }

                var (folderId, failure) = await FindFolderAsync(write, accountId, canonical).ConfigureAwait(false);
                if (failure is { } noFolder)
                {
                    return noFolder;
                }

                if (await write.Int64Async(DuplicateSql, ("h", prepared.Sha256), ("f", folderId)).ConfigureAwait(false) is { } existing)
                {
                    return StoreResult<ImportedCopy>.Success(new ImportedCopy(canonical, existing, Duplicate: true));
                }

                var quota = (await write.ReadQuotaAsync(accountId).ConfigureAwait(false))!;
                if (quota.WouldExceed(content.Length))
                {
                    return Failures.QuotaExceeded(quota, content.Length);
                }

                return StoreResult<ImportedCopy>.Success(
                    new ImportedCopy(canonical, await AddCopyAsync(write, accountId, folderId, prepared, flags, receivedMs).ConfigureAwait(false), Duplicate: false));
            },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoreResult<FolderEmptied>> EmptyFolderAsync(long accountId, string folder, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        return await _db.WriteAsync<StoreResult<FolderEmptied>>(
            async write =>
            {
                var (folderId, failure) = await FindFolderAsync(write, accountId, canonical).ConfigureAwait(false);
                if (failure is { } noFolder)
                {
                    return noFolder;
                }

                var ids = await write.ListAsync("SELECT id FROM messages WHERE folder_id = @f FOR UPDATE", r => r.GetInt64(0), ("f", folderId)).ConfigureAwait(false);
                if (ids.Count == 0)
                {
                    return StoreResult<FolderEmptied>.Success(new FolderEmptied(canonical, 0));
                }

                var modSeq = (await write.BumpModSeqAsync(accountId).ConfigureAwait(false))!.Value;
                var contentIds = new HashSet<long>();
                foreach (var id in ids)
                {
                    if (await write.RemoveMessageAsync(folderId, id, modSeq).ConfigureAwait(false) is { } contentId)
                    {
                        contentIds.Add(contentId);
                    }
                }

                await write.TouchFolderAsync(folderId, modSeq).ConfigureAwait(false);
                await write.DeleteUnreferencedAsync(contentIds).ConfigureAwait(false);
                return StoreResult<FolderEmptied>.Success(new FolderEmptied(canonical, ids.Count));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>In a write: stores the content (once) and a new message row for it in the folder, threaded; returns its id.</summary>
    private static async Task<long> AddCopyAsync(PgWrite write, long accountId, long folderId, PreparedContent prepared, MessageFlags flags, long receivedMs)
    {
        var modSeq = (await write.BumpModSeqAsync(accountId).ConfigureAwait(false))!.Value;
        var contentId = await write.InsertContentAsync(prepared).ConfigureAwait(false);
        var id = await write.AddMessageAsync(folderId, contentId, flags, receivedMs, modSeq).ConfigureAwait(false);
        await write.ThreadAsync(accountId, contentId, prepared.Summary!, receivedMs, modSeq).ConfigureAwait(false);
        return id;
    }
}
