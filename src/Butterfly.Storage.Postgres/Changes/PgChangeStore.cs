using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// "What changed since state S" on PostgreSQL, paged without splitting a state, and the retention of the
/// records that answer it (the same queries as the SQLite store, read in one repeatable-read snapshot).
/// </summary>
public sealed class PgChangeStore : IChangeStore
{
    private readonly PgDatabase _db;

    internal PgChangeStore(PgDatabase db) => _db = db;

    /// <inheritdoc/>
    public async Task<long?> StateAsync(long accountId, CancellationToken ct = default)
        => await _db.ReadAsync(read => read.Int64Async("SELECT modseq FROM accounts WHERE id = @a", ("a", accountId)), ct).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<StoreResult<ChangeSet>> SinceAsync(long accountId, long since, string? folder, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(since);
        var canonical = (string?)null;
        if (folder is not null && !FolderNames.TryCanonicalize(folder, out canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        return await _db.ReadAsync<StoreResult<ChangeSet>>(
            async read =>
            {
                var states = await read.FirstAsync(
                    "SELECT a.modseq, COALESCE(f.modseq, 0) FROM accounts a LEFT JOIN change_floors f ON f.account_id = a.id WHERE a.id = @a",
                    r => (long[]?)[r.GetInt64(0), r.GetInt64(1)],
                    ("a", accountId)).ConfigureAwait(false);
                if (states is not [var state, var floor])
                {
                    return Failures.AccountNotFound(accountId);
                }

                if (since < floor || since > state)
                {
                    return Failures.StateTooOld(since, floor, state);
                }

                var folderId = 0L;
                if (canonical is not null)
                {
                    folderId = await read.FindFolderAsync(accountId, canonical).ConfigureAwait(false) ?? 0;
                    if (folderId == 0)
                    {
                        return Failures.FolderNotFound(canonical);
                    }
                }

                var scope = new Scope(accountId, folderId, since);
                var (upTo, more) = await PageEndAsync(read, scope, limit, state).ConfigureAwait(false);
                var folders = await read.ListAsync(
                    $"SELECT kind, name, old_name, modseq FROM folder_changes WHERE account_id = @a AND modseq > @s AND modseq <= @u{scope.Journal} ORDER BY seq",
                    r => new FolderChange((FolderChangeKind)r.GetInt32(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt64(3)),
                    scope.With(("u", upTo))).ConfigureAwait(false);
                var removed = await read.ListAsync(
                    "SELECT f.name, e.id, e.modseq, t.name, e.moved_id FROM expunged e JOIN folders f ON f.id = e.folder_id "
                    + "LEFT JOIN folders t ON t.id = e.moved_folder_id "
                    + $"WHERE e.folder_id IN ({scope.Folders}) AND e.modseq > @s AND e.modseq <= @u ORDER BY e.modseq, e.folder_id, e.id",
                    r =>
                    {
                        var movedTo = r.IsDBNull(3) ? null : r.GetString(3);
                        return new RemovedMessage(r.GetString(0), r.GetInt64(1), r.GetInt64(2), movedTo, movedTo is null || r.IsDBNull(4) ? null : r.GetInt64(4));
                    },
                    scope.With(("u", upTo))).ConfigureAwait(false);
                var messages = await read.ListAsync(
                    $"SELECT {PgMessageStore.MessageColumns}, f.name, m.added_modseq > @s FROM messages m JOIN folders f ON f.id = m.folder_id "
                    + "JOIN contents c ON c.id = m.content_id "
                    + $"WHERE m.folder_id IN ({scope.Folders}) AND m.modseq > @s AND m.modseq <= @u ORDER BY m.modseq, m.folder_id, m.id",
                    r => (Item: PgMessageStore.ReadMessageItem(r, r.GetString(11)), Created: r.GetBoolean(12)),
                    scope.With(("u", upTo))).ConfigureAwait(false);
                var created = messages.Where(m => m.Created).Select(m => m.Item).ToList();
                var changed = messages.Where(m => !m.Created).Select(m => m.Item).ToList();
                return StoreResult<ChangeSet>.Success(new ChangeSet(since, upTo, more, folders, created, changed, removed));
            },
            ct,
            snapshot: true).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken ct = default)
    {
        var cutoff = UnixTime.ToMs(olderThan);
        return _db.WriteAsync(
            async write =>
            {
                await write.ExecuteAsync(
                    "INSERT INTO change_floors (account_id, modseq) SELECT account_id, MAX(modseq) FROM ("
                    + "SELECT f.account_id, e.modseq FROM expunged e JOIN folders f ON f.id = e.folder_id WHERE e.removed < @c"
                    + " UNION ALL SELECT account_id, modseq FROM folder_changes WHERE created < @c) forgotten GROUP BY account_id "
                    + "ON CONFLICT (account_id) DO UPDATE SET modseq = GREATEST(change_floors.modseq, excluded.modseq)",
                    ("c", cutoff)).ConfigureAwait(false);
                long removed = await write.ExecuteAsync("DELETE FROM expunged WHERE removed < @c", ("c", cutoff)).ConfigureAwait(false);
                removed += await write.ExecuteAsync("DELETE FROM folder_changes WHERE created < @c", ("c", cutoff)).ConfigureAwait(false);
                return removed;
            },
            ct);
    }

    /// <summary>Where the page ends: the state of the last change that fits without splitting a state, and whether changes remain.</summary>
    private static async Task<(long UpTo, bool More)> PageEndAsync(PgWrite read, Scope scope, int limit, long state)
    {
        // The limit-th change and the one after it: when the next one has a higher state, the page ends at the
        // limit-th; otherwise it ends before the state that would be split (or, when that state is the page's
        // first, takes all of it).
        var rows = await read.ListAsync(
            $"SELECT modseq FROM (SELECT modseq FROM messages WHERE folder_id IN ({scope.Folders}) AND modseq > @s"
            + $" UNION ALL SELECT modseq FROM expunged WHERE folder_id IN ({scope.Folders}) AND modseq > @s"
            + $" UNION ALL SELECT modseq FROM folder_changes WHERE account_id = @a AND modseq > @s{scope.Journal}) changes ORDER BY modseq LIMIT 2 OFFSET @l - 1",
            r => r.GetInt64(0),
            scope.With(("l", (long)limit))).ConfigureAwait(false);
        if (rows.Count < 2)
        {
            return (state, false);
        }

        var (last, next) = (rows[0], rows[1]);
        if (next > last)
        {
            return (last, true);
        }

        if (last - 1 > scope.Since && await HasChangesBeforeAsync(read, scope, last).ConfigureAwait(false))
        {
            return (last - 1, true);
        }

        return (last, last < state);
    }

    private static async Task<bool> HasChangesBeforeAsync(PgWrite read, Scope scope, long state)
        => await read.Int64Async(
            $"SELECT CASE WHEN EXISTS (SELECT 1 FROM messages WHERE folder_id IN ({scope.Folders}) AND modseq > @s AND modseq < @u)"
            + $" OR EXISTS (SELECT 1 FROM expunged WHERE folder_id IN ({scope.Folders}) AND modseq > @s AND modseq < @u)"
            + $" OR EXISTS (SELECT 1 FROM folder_changes WHERE account_id = @a AND modseq > @s AND modseq < @u{scope.Journal}) THEN 1 ELSE 0 END",
            scope.With(("u", state))).ConfigureAwait(false) == 1;

    /// <summary>An account, or one of its folders (<paramref name="FolderId"/> not 0), after a state: Butterfly.Storage's ChangeScope with @-parameters.</summary>
    private readonly record struct Scope(long AccountId, long FolderId, long Since)
    {
        public string Folders => FolderId == 0
            ? "SELECT id FROM folders WHERE account_id = @a AND modseq > @s"
            : "SELECT id FROM folders WHERE account_id = @a AND modseq > @s AND id = @f";

        public string Journal => FolderId == 0 ? string.Empty : " AND folder_id = @f";

        /// <summary>The scope's parameters and <paramref name="more"/>.</summary>
        public (string Name, object? Value)[] With(params (string Name, object? Value)[] more)
            => [("a", AccountId), ("s", Since), ("f", FolderId), .. more];
    }
}
