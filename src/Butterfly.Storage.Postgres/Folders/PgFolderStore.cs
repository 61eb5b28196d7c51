using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres;

/// <summary>An account's folders on PostgreSQL. Every folder's parents exist as folders of their own.</summary>
public sealed class PgFolderStore : IFolderStore
{
    private const string FolderInfoSql = "SELECT f.name, f.next_id, f.modseq, f.messages, f.unseen FROM folders f";

    // A folder and everything below it: "name" itself, and names between "name/" and "name0" ('0' follows '/'),
    // compared byte by byte (the column's collation is "C"). Locked: a rename or deletion races no delivery.
    private const string SubtreeSql =
        "SELECT id, name, messages FROM folders WHERE account_id = @a AND (name = @n OR (name > @n || '/' AND name < @n || '0')) ORDER BY name FOR UPDATE";

    private const string InsertSql = "INSERT INTO folders (account_id, name, modseq) VALUES (@a, @n, @m) ON CONFLICT DO NOTHING RETURNING id";

    private readonly PgDatabase _db;

    internal PgFolderStore(PgDatabase db) => _db = db;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<FolderInfo>> ListAsync(long accountId, CancellationToken ct = default)
        => await _db.ReadAsync(
            read => read.ListAsync(FolderInfoSql + " WHERE f.account_id = @a ORDER BY f.name", ReadFolderInfo, ("a", accountId)),
            ct).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<StoreResult<FolderInfo>> CreateAsync(long accountId, string name, CancellationToken ct = default)
    {
        if (!FolderNames.TryCanonicalize(name, out var canonical, out var problem))
        {
            return Failures.FolderInvalidName(problem);
        }

        return await _db.WriteAsync<StoreResult<FolderInfo>>(
            async write =>
            {
                if (await write.BumpModSeqAsync(accountId).ConfigureAwait(false) is not { } modSeq)
                {
                    return Failures.AccountNotFound(accountId);
                }

                await CreateParentsAsync(write, accountId, canonical, modSeq).ConfigureAwait(false);
                return await InsertAsync(write, accountId, canonical, modSeq).ConfigureAwait(false) is null
                    ? Failures.FolderExists(canonical)
                    : StoreResult<FolderInfo>.Success(new FolderInfo(canonical, 0, 0, 1, modSeq));
            },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
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

        return await _db.WriteAsync<StoreResult<FolderInfo>>(
            async write =>
            {
                // The account first, as every write to it does: one lock order, no deadlock.
                if (await write.BumpModSeqAsync(accountId).ConfigureAwait(false) is not { } modSeq)
                {
                    return Failures.FolderNotFound(source);
                }

                var moving = await ReadSubtreeAsync(write, accountId, source).ConfigureAwait(false);
                if (moving.Count == 0 || moving[0].Name != source)
                {
                    return Failures.FolderNotFound(source);
                }

                if ((await ReadSubtreeAsync(write, accountId, target).ConfigureAwait(false)).Count > 0)
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

                foreach (var (id, folderName, _) in moving)
                {
                    var renamed = string.Concat(target, folderName.AsSpan(source.Length));
                    await write.ExecuteAsync("UPDATE folders SET name = @n, modseq = @m WHERE id = @f", ("n", renamed), ("m", modSeq), ("f", id)).ConfigureAwait(false);
                    await write.RecordFolderChangeAsync(accountId, modSeq, FolderChangeKind.Renamed, id, renamed, folderName).ConfigureAwait(false);
                }

                await CreateParentsAsync(write, accountId, target, modSeq).ConfigureAwait(false);
                var renamedFolder = await write.FirstAsync(FolderInfoSql + " WHERE f.account_id = @a AND f.name = @n", ReadFolderInfo, ("a", accountId), ("n", target))
                    .ConfigureAwait(false);
                return StoreResult<FolderInfo>.Success(renamedFolder!);
            },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
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

        return await _db.WriteAsync<StoreResult<FolderDeletion>>(
            async write =>
            {
                if (await write.BumpModSeqAsync(accountId).ConfigureAwait(false) is not { } deletedAt)
                {
                    return Failures.FolderNotFound(canonical);
                }

                var folders = await ReadSubtreeAsync(write, accountId, canonical).ConfigureAwait(false);
                if (folders.Count == 0 || folders[0].Name != canonical)
                {
                    return Failures.FolderNotFound(canonical);
                }

                var messages = folders.Sum(f => f.Messages);
                if (!recursive && (folders.Count > 1 || messages > 0))
                {
                    return Failures.FolderNotEmpty(canonical, folders[0].Messages, folders.Count - 1);
                }

                var ids = folders.Select(f => f.Id).ToArray();
                var contentIds = await write.ListAsync("SELECT DISTINCT content_id FROM messages WHERE folder_id = ANY(@f)", r => r.GetInt64(0), ("f", ids))
                    .ConfigureAwait(false);
                foreach (var (id, folderName, _) in folders)
                {
                    await write.RecordFolderChangeAsync(accountId, deletedAt, FolderChangeKind.Deleted, id, folderName).ConfigureAwait(false);
                }

                await write.ExecuteAsync("DELETE FROM messages WHERE folder_id = ANY(@f)", ("f", ids)).ConfigureAwait(false);
                await write.ExecuteAsync("DELETE FROM expunged WHERE folder_id = ANY(@f)", ("f", ids)).ConfigureAwait(false);
                await write.ExecuteAsync("DELETE FROM folders WHERE id = ANY(@f)", ("f", ids)).ConfigureAwait(false);
                await write.DeleteUnreferencedAsync(contentIds).ConfigureAwait(false);
                return StoreResult<FolderDeletion>.Success(new FolderDeletion(folders.Select(f => f.Name).ToList(), messages));
            },
            ct).ConfigureAwait(false);
    }

    private static async Task<long?> InsertAsync(PgWrite write, long accountId, string name, long modSeq)
    {
        var id = await write.Int64Async(InsertSql, ("a", accountId), ("n", name), ("m", modSeq)).ConfigureAwait(false);
        if (id is { } created)
        {
            await write.RecordFolderChangeAsync(accountId, modSeq, FolderChangeKind.Created, created, name).ConfigureAwait(false);
        }

        return id;
    }

    private static async Task CreateParentsAsync(PgWrite write, long accountId, string canonical, long modSeq)
    {
        foreach (var parent in FolderNames.Parents(canonical))
        {
            await InsertAsync(write, accountId, parent, modSeq).ConfigureAwait(false);
        }
    }

    private static Task<List<(long Id, string Name, long Messages)>> ReadSubtreeAsync(PgWrite write, long accountId, string name)
        => write.ListAsync(SubtreeSql, r => (r.GetInt64(0), r.GetString(1), r.GetInt64(2)), ("a", accountId), ("n", name));

    private static FolderInfo ReadFolderInfo(NpgsqlDataReader reader)
        => new(reader.GetString(0), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(1), reader.GetInt64(2));
}
