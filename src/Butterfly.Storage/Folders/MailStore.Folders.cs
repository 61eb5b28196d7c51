using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>Folders.</summary>
public sealed partial class MailStore
{
    private const string FolderInfoSql = "SELECT f.name, f.next_id, f.modseq, f.messages, f.unseen FROM folders f";

    // A folder and everything below it: "name" itself, and names between "name/" and "name0" ('0' follows '/').
    private const string SubtreeFilter = "account_id = $a AND (name = $n OR (name > $n || '/' AND name < $n || '0'))";

    /// <summary>Lists an account's folders with their counters, ordered by name.</summary>
    public async Task<IReadOnlyList<FolderInfo>> ListFoldersAsync(long accountId, CancellationToken ct = default)
    {
        using var lease = await _readers.RentAsync(ct).ConfigureAwait(false);
        using var reader = lease.Command(FolderInfoSql + " WHERE f.account_id = $a ORDER BY f.name")
            .Bind("$a", accountId).ExecuteReader();
        var folders = new List<FolderInfo>();
        while (reader.Read())
        {
            folders.Add(ReadFolderInfo(reader));
        }

        return folders;
    }

    /// <summary>Creates a folder. Parents are implied and not created.</summary>
    public async Task<StoreResult<FolderInfo>> CreateFolderAsync(long accountId, string name, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(name, out var canonical))
        {
            return StoreResult<FolderInfo>.Fail(StoreError.FolderInvalidName);
        }

        return await _writer.EnqueueAsync(
            context =>
            {
                var modSeq = context.BumpModSeq(accountId);
                if (modSeq is null)
                {
                    return StoreResult<FolderInfo>.Fail(StoreError.AccountNotFound);
                }

                var id = context.Command(
                        "INSERT INTO folders (account_id, name, modseq) VALUES ($a, $n, $m) ON CONFLICT DO NOTHING RETURNING id")
                    .Bind("$a", accountId).Bind("$n", canonical).Bind("$m", modSeq.Value).ScalarInt64();
                return id is null
                    ? StoreResult<FolderInfo>.Fail(StoreError.FolderExists)
                    : StoreResult<FolderInfo>.Success(new FolderInfo(canonical, 0, 0, 1, modSeq.Value));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>Renames a folder and everything below it. Default folders cannot be renamed.</summary>
    public async Task<StoreResult<FolderInfo>> RenameFolderAsync(long accountId, string name, string newName, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(name, out var source) || !FolderNames.TryCanonicalize(newName, out var target))
        {
            return StoreResult<FolderInfo>.Fail(StoreError.FolderInvalidName);
        }

        if (FolderNames.IsProtected(source))
        {
            return StoreResult<FolderInfo>.Fail(StoreError.FolderProtected);
        }

        if (FolderNames.IsSelfOrDescendant(target, source))
        {
            return StoreResult<FolderInfo>.Fail(StoreError.FolderInvalidName);
        }

        return await _writer.EnqueueAsync(
            context =>
            {
                var moving = ReadSubtree(context, accountId, source);
                if (moving.Count == 0)
                {
                    return StoreResult<FolderInfo>.Fail(StoreError.FolderNotFound);
                }

                if (ReadSubtree(context, accountId, target).Count > 0)
                {
                    return StoreResult<FolderInfo>.Fail(StoreError.FolderExists);
                }

                foreach (var (_, folderName) in moving)
                {
                    if (target.Length + folderName.Length - source.Length > FolderNames.MaxLength)
                    {
                        return StoreResult<FolderInfo>.Fail(StoreError.FolderInvalidName);
                    }
                }

                var modSeq = context.BumpModSeq(accountId)!.Value;
                var rename = context.Command("UPDATE folders SET name = $n, modseq = $m WHERE id = $f");
                foreach (var (id, folderName) in moving)
                {
                    rename.Bind("$n", string.Concat(target, folderName.AsSpan(source.Length)))
                        .Bind("$m", modSeq).Bind("$f", id).ExecuteNonQuery();
                }

                using var reader = context.Command(FolderInfoSql + " WHERE f.account_id = $a AND f.name = $n")
                    .Bind("$a", accountId).Bind("$n", target).ExecuteReader();

                // An implied parent that was renamed through its children has no row of its own.
                return StoreResult<FolderInfo>.Success(reader.Read() ? ReadFolderInfo(reader) : new FolderInfo(target, 0, 0, 1, modSeq));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a folder. Refuses a folder with messages or subfolders unless <paramref name="recursive"/>;
    /// default folders cannot be deleted. Contents no longer referenced are removed in the same transaction.
    /// </summary>
    public async Task<StoreResult<FolderDeletion>> DeleteFolderAsync(long accountId, string name, bool recursive, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(name, out var canonical))
        {
            return StoreResult<FolderDeletion>.Fail(StoreError.FolderInvalidName);
        }

        if (FolderNames.IsProtected(canonical))
        {
            return StoreResult<FolderDeletion>.Fail(StoreError.FolderProtected);
        }

        return await _writer.EnqueueAsync(
            context =>
            {
                var folders = ReadSubtree(context, accountId, canonical);
                if (folders.Count == 0)
                {
                    return StoreResult<FolderDeletion>.Fail(StoreError.FolderNotFound);
                }

                var contentIds = new List<long>();
                var select = context.Command("SELECT content_id FROM messages WHERE folder_id = $f");
                foreach (var (id, _) in folders)
                {
                    using var reader = select.Bind("$f", id).ExecuteReader();
                    while (reader.Read())
                    {
                        contentIds.Add(reader.GetInt64(0));
                    }
                }

                var hasChildren = folders.Count > 1 || folders[0].Name != canonical;
                if (!recursive && (hasChildren || contentIds.Count > 0))
                {
                    return StoreResult<FolderDeletion>.Fail(StoreError.FolderNotEmpty);
                }

                context.BumpModSeq(accountId);
                foreach (var (id, _) in folders)
                {
                    context.Command("DELETE FROM messages WHERE folder_id = $f").Bind("$f", id).ExecuteNonQuery();
                    context.Command("DELETE FROM expunged WHERE folder_id = $f").Bind("$f", id).ExecuteNonQuery();
                    context.Command("DELETE FROM folders WHERE id = $f").Bind("$f", id).ExecuteNonQuery();
                }

                context.DeleteUnreferencedContents(contentIds.Distinct());
                return StoreResult<FolderDeletion>.Success(
                    new FolderDeletion(folders.Select(f => f.Name).ToList(), contentIds.Count));
            },
            ct).ConfigureAwait(false);
    }

    private static List<(long Id, string Name)> ReadSubtree(WriterContext context, long accountId, string name)
    {
        using var reader = context.Command($"SELECT id, name FROM folders WHERE {SubtreeFilter} ORDER BY name")
            .Bind("$a", accountId).Bind("$n", name).ExecuteReader();
        var folders = new List<(long Id, string Name)>();
        while (reader.Read())
        {
            folders.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return folders;
    }

    private static FolderInfo ReadFolderInfo(Microsoft.Data.Sqlite.SqliteDataReader reader)
        => new(reader.GetString(0), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(1), reader.GetInt64(2));
}
