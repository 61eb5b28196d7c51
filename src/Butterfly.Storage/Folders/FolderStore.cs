using Butterfly.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage;

/// <summary>
/// An account's folders. Every folder's parents exist as folders of their own: creating or renaming
/// into <c>a/b/c</c> creates <c>a</c> and <c>a/b</c> in the same transaction when they are missing.
/// </summary>
public sealed class FolderStore : IFolderStore
{
    private const string FolderInfoSql = "SELECT f.name, f.next_id, f.modseq, f.messages, f.unseen FROM folders f";

    // A folder and everything below it: "name" itself, and names between "name/" and "name0" ('0' follows '/').
    private const string SubtreeSql =
        "SELECT id, name, messages FROM folders WHERE account_id = $a AND (name = $n OR (name > $n || '/' AND name < $n || '0')) ORDER BY name";

    private const string InsertSql = "INSERT INTO folders (account_id, name, modseq) VALUES ($a, $n, $m) ON CONFLICT DO NOTHING RETURNING id";

    private readonly StoreCore _core;

    internal FolderStore(StoreCore core) => _core = core;

    /// <summary>Lists an account's folders with their counters, ordered by name.</summary>
    public async Task<IReadOnlyList<FolderInfo>> ListAsync(long accountId, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        using var reader = lease.Command(FolderInfoSql + " WHERE f.account_id = $a ORDER BY f.name").Bind("$a", accountId).ExecuteReader();
        var folders = new List<FolderInfo>();
        while (reader.Read())
        {
            folders.Add(ReadFolderInfo(reader));
        }

        return folders;
    }

    /// <summary>Creates a folder, and its parents when they are missing.</summary>
    /// <returns>The new folder; or <see cref="StoreError.FolderExists"/>, <see cref="StoreError.FolderInvalidName"/>,
    /// <see cref="StoreError.AccountNotFound"/>.</returns>
    public async Task<StoreResult<FolderInfo>> CreateAsync(long accountId, string name, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(name, out var canonical, out var problem))
        {
            return Failures.FolderInvalidName(problem);
        }

        return await _core.Writer.EnqueueAsync(
            context =>
            {
                var modSeq = context.Mailboxes.BumpModSeq(accountId);
                if (modSeq is null)
                {
                    return Failures.AccountNotFound(accountId);
                }

                CreateParents(context, accountId, canonical, modSeq.Value);
                return Insert(context, accountId, canonical, modSeq.Value) is null
                    ? Failures.FolderExists(canonical)
                    : StoreResult<FolderInfo>.Success(new FolderInfo(canonical, 0, 0, 1, modSeq.Value));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Renames a folder and everything below it (a rename to another parent is a move); the new
    /// parents are created when missing. Default folders cannot be renamed.
    /// </summary>
    /// <returns>The folder under its new name; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.FolderExists"/>,
    /// <see cref="StoreError.FolderInvalidName"/>, <see cref="StoreError.FolderProtected"/>.</returns>
    public async Task<StoreResult<FolderInfo>> RenameAsync(long accountId, string name, string newName, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(name, out var source, out var problem) || !FolderNames.TryCanonicalize(newName, out var target, out problem))
        {
            return Failures.FolderInvalidName(problem);
        }

        if (FolderNames.IsProtected(source))
        {
            return Failures.FolderProtected(source);
        }

        if (target != source && FolderNames.IsSelfOrDescendant(target, source))
        {
            return Failures.FolderInvalidName($"{FolderNames.Show(source)} cannot move into itself ({FolderNames.Show(target)}).");
        }

        return await _core.Writer.EnqueueAsync(
            context =>
            {
                var moving = ReadSubtree(context, accountId, source);
                if (moving.Count == 0 || moving[0].Name != source)
                {
                    return Failures.FolderNotFound(source);
                }

                if (ReadSubtree(context, accountId, target).Count > 0)
                {
                    return Failures.FolderExists(target);
                }

                foreach (var (_, folderName, _) in moving)
                {
                    if (target.Length + folderName.Length - source.Length > FolderNames.MaxLength)
                    {
                        return Failures.FolderInvalidName(
                            $"Renaming {FolderNames.Show(source)} to {FolderNames.Show(target)} would make {FolderNames.Show(folderName)} longer than {FolderNames.MaxLength} characters.");
                    }
                }

                var modSeq = context.Mailboxes.BumpModSeq(accountId)!.Value;
                var rename = context.Command("UPDATE folders SET name = $n, modseq = $m WHERE id = $f");
                foreach (var (id, folderName, _) in moving)
                {
                    var renamed = string.Concat(target, folderName.AsSpan(source.Length));
                    rename.Bind("$n", renamed).Bind("$m", modSeq).Bind("$f", id).ExecuteNonQuery();
                    FolderJournal.Record(context, accountId, modSeq, FolderChangeKind.Renamed, id, renamed, folderName);
                }

                CreateParents(context, accountId, target, modSeq);
                using var reader = context.Command(FolderInfoSql + " WHERE f.account_id = $a AND f.name = $n")
                    .Bind("$a", accountId).Bind("$n", target).ExecuteReader();
                reader.Read();
                return StoreResult<FolderInfo>.Success(ReadFolderInfo(reader));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a folder. Refuses a folder with messages or subfolders unless <paramref name="recursive"/>;
    /// default folders cannot be deleted. Contents nothing else refers to are removed in the same transaction.
    /// </summary>
    /// <returns>What was removed; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.FolderNotEmpty"/>,
    /// <see cref="StoreError.FolderProtected"/>, <see cref="StoreError.FolderInvalidName"/>.</returns>
    public async Task<StoreResult<FolderDeletion>> DeleteAsync(long accountId, string name, bool recursive, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(name, out var canonical, out var problem))
        {
            return Failures.FolderInvalidName(problem);
        }

        if (FolderNames.IsProtected(canonical))
        {
            return Failures.FolderProtected(canonical);
        }

        return await _core.Writer.EnqueueAsync(
            context =>
            {
                var folders = ReadSubtree(context, accountId, canonical);
                if (folders.Count == 0 || folders[0].Name != canonical)
                {
                    return Failures.FolderNotFound(canonical);
                }

                var messages = folders.Sum(f => f.Messages);
                if (!recursive && (folders.Count > 1 || messages > 0))
                {
                    return Failures.FolderNotEmpty(canonical, folders[0].Messages, folders.Count - 1);
                }

                var contentIds = new HashSet<long>();
                var select = context.Command("SELECT content_id FROM messages WHERE folder_id = $f");
                foreach (var (id, _, _) in folders)
                {
                    using var reader = select.Bind("$f", id).ExecuteReader();
                    while (reader.Read())
                    {
                        contentIds.Add(reader.GetInt64(0));
                    }
                }

                var deletedAt = context.Mailboxes.BumpModSeq(accountId)!.Value;
                foreach (var (id, folderName, _) in folders)
                {
                    FolderJournal.Record(context, accountId, deletedAt, FolderChangeKind.Deleted, id, folderName);
                    context.Command("DELETE FROM messages WHERE folder_id = $f").Bind("$f", id).ExecuteNonQuery();
                    context.Command("DELETE FROM expunged WHERE folder_id = $f").Bind("$f", id).ExecuteNonQuery();
                    context.Command("DELETE FROM folders WHERE id = $f").Bind("$f", id).ExecuteNonQuery();
                }

                context.Contents.DeleteUnreferenced(contentIds);
                return StoreResult<FolderDeletion>.Success(new FolderDeletion(folders.Select(f => f.Name).ToList(), messages));
            },
            ct,
            freesSpace: true).ConfigureAwait(false);
    }

    private static long? Insert(WriterContext context, long accountId, string name, long modSeq)
    {
        var id = context.Command(InsertSql).Bind("$a", accountId).Bind("$n", name).Bind("$m", modSeq).ScalarInt64();
        if (id is { } created)
        {
            FolderJournal.Record(context, accountId, modSeq, FolderChangeKind.Created, created, name);
        }

        return id;
    }

    private static void CreateParents(WriterContext context, long accountId, string canonical, long modSeq)
    {
        foreach (var parent in FolderNames.Parents(canonical))
        {
            Insert(context, accountId, parent, modSeq);
        }
    }

    private static List<(long Id, string Name, long Messages)> ReadSubtree(WriterContext context, long accountId, string name)
    {
        using var reader = context.Command(SubtreeSql).Bind("$a", accountId).Bind("$n", name).ExecuteReader();
        var folders = new List<(long Id, string Name, long Messages)>();
        while (reader.Read())
        {
            folders.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return folders;
    }

    private static FolderInfo ReadFolderInfo(SqliteDataReader reader)
        => new(reader.GetString(0), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(1), reader.GetInt64(2));
}
