using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>Moving mail in (an mbox or Maildir import) and emptying a folder in one go.</summary>
public sealed partial class MessageStore
{
    // The unique index on contents.sha256, then messages_content: a few page reads per message.
    private const string DuplicateSql =
        "SELECT m.id FROM contents c JOIN messages m ON m.content_id = c.id WHERE c.sha256 = $h AND m.folder_id = $f LIMIT 1";

    /// <summary>
    /// Imports a message into one folder of the account, unless the folder holds the same bytes already
    /// (same SHA-256, hence same Message-ID and content): then nothing is stored and the copy there is
    /// named. The duplicate check and the quota check run inside the write, so pipelined imports of one
    /// message store it once, and an import never takes the account past its quota.
    /// </summary>
    /// <returns>The copy and whether it was there already; or <see cref="StoreError.FolderNotFound"/>,
    /// <see cref="StoreError.QuotaExceeded"/>, <see cref="StoreError.StorageFull"/>.</returns>
    public async Task<StoreResult<ImportedCopy>> ImportAsync(
        long accountId, string folder, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received, CancellationToken ct = default)
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
        var fallbackQuota = _core.Options.DefaultQuotaBytes;
        return await _core.Writer.EnqueueAsync(
            context =>
            {
                if (FindFolder(context, accountId, canonical, out var folderId) is { } failure)
                {
                    return failure;
                }

                if (context.Command(DuplicateSql).Bind("$h", prepared.Sha256).Bind("$f", folderId).ScalarInt64() is { } existing)
                {
                    return StoreResult<ImportedCopy>.Success(new ImportedCopy(canonical, existing, Duplicate: true));
                }

                using (var reader = context.Command($"SELECT {QuotaStore.StateColumns} FROM accounts WHERE id = $a").Bind("$a", accountId).ExecuteReader())
                {
                    if (!reader.Read())
                    {
                        return Failures.AccountNotFound(accountId);
                    }

                    var quota = QuotaStore.Read(reader, fallbackQuota);
                    if (quota.WouldExceed(content.Length))
                    {
                        return Failures.QuotaExceeded(quota, content.Length);
                    }
                }

                return StoreResult<ImportedCopy>.Success(new ImportedCopy(canonical, AddCopy(context, accountId, folderId, prepared, flags, receivedMs), Duplicate: false));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Expunges every message of a folder for good (Trash's "empty", or any folder's), in one
    /// transaction; contents nothing else refers to go with them. Subfolders are left alone.
    /// </summary>
    /// <returns>The folder and how many messages were expunged; or <see cref="StoreError.FolderNotFound"/>.</returns>
    public async Task<StoreResult<FolderEmptied>> EmptyFolderAsync(long accountId, string folder, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(folder, out var canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        return await _core.Writer.EnqueueAsync(
            context =>
            {
                if (FindFolder(context, accountId, canonical, out var folderId) is { } failure)
                {
                    return failure;
                }

                var ids = new List<long>();
                using (var reader = context.Command("SELECT id FROM messages WHERE folder_id = $f").Bind("$f", folderId).ExecuteReader())
                {
                    while (reader.Read())
                    {
                        ids.Add(reader.GetInt64(0));
                    }
                }

                if (ids.Count == 0)
                {
                    return StoreResult<FolderEmptied>.Success(new FolderEmptied(canonical, 0));
                }

                var rows = context.Mailboxes;
                var modSeq = rows.BumpModSeq(accountId)!.Value;
                var contentIds = new HashSet<long>();
                foreach (var id in ids)
                {
                    if (rows.RemoveMessage(folderId, id, modSeq) is { } contentId)
                    {
                        contentIds.Add(contentId);
                    }
                }

                rows.TouchFolder(folderId, modSeq);
                context.Contents.DeleteUnreferenced(contentIds);
                return StoreResult<FolderEmptied>.Success(new FolderEmptied(canonical, ids.Count));
            },
            ct,
            freesSpace: true).ConfigureAwait(false);
    }
}
