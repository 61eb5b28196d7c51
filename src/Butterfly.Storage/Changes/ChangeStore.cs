using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>
/// "What changed since state S" for an account or one of its folders, paged, and the retention of the
/// records that answer it: removed messages and the folder journal are kept for a while, and each account
/// remembers the lowest state still answerable (<c>change_floors</c>); older states get
/// <see cref="StoreError.StateTooOld"/>.
/// </summary>
public sealed class ChangeStore : IChangeStore
{
    private readonly StoreCore _core;

    internal ChangeStore(StoreCore core) => _core = core;

    /// <summary>The account's current state (its modification sequence), or null when it does not exist.</summary>
    public async Task<long?> StateAsync(long accountId, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        return lease.Command("SELECT modseq FROM accounts WHERE id = $a").Bind("$a", accountId).ScalarInt64();
    }

    /// <summary>
    /// Lists what changed after <paramref name="since"/>, in the account or (with <paramref name="folder"/>) in
    /// one folder, at most about <paramref name="limit"/> changes: a page never splits one state, so a single
    /// command that changed more than <paramref name="limit"/> messages comes whole.
    /// </summary>
    /// <returns>The changes; or <see cref="StoreError.StateTooOld"/>, <see cref="StoreError.FolderNotFound"/>,
    /// <see cref="StoreError.AccountNotFound"/>.</returns>
    public async Task<StoreResult<ChangeSet>> SinceAsync(long accountId, long since, string? folder, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(since);
        var canonical = (string?)null;
        if (folder is not null && !FolderNames.TryCanonicalize(folder, out canonical, out _))
        {
            return Failures.FolderNotFound(folder);
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        lease.BeginSnapshot();
        long state, floor;
        using (var reader = lease.Command(
                "SELECT a.modseq, COALESCE(f.modseq, 0) FROM accounts a LEFT JOIN change_floors f ON f.account_id = a.id WHERE a.id = $a")
            .Bind("$a", accountId).ExecuteReader())
        {
            if (!reader.Read())
            {
                return Failures.AccountNotFound(accountId);
            }

            state = reader.GetInt64(0);
            floor = reader.GetInt64(1);
        }

        if (since < floor || since > state)
        {
            return Failures.StateTooOld(since, floor, state);
        }

        var folderId = 0L;
        if (canonical is not null)
        {
            folderId = lease.Command("SELECT id FROM folders WHERE account_id = $a AND name = $n").Bind("$a", accountId).Bind("$n", canonical).ScalarInt64() ?? 0;
            if (folderId == 0)
            {
                return Failures.FolderNotFound(canonical);
            }
        }

        var scope = new ChangeScope(accountId, folderId, since);
        var (upTo, more) = PageEnd(lease, scope, limit, state);
        var folders = ReadFolderChanges(lease, scope, upTo);
        var removed = ReadRemoved(lease, scope, upTo);
        var created = new List<MessageItem>();
        var changed = new List<MessageItem>();
        ReadMessages(lease, scope, upTo, created, changed);
        lease.EndSnapshot();
        return StoreResult<ChangeSet>.Success(new ChangeSet(since, upTo, more, folders, created, changed, removed));
    }

    /// <summary>
    /// Forgets removals and folder changes recorded before <paramref name="olderThan"/>, raising each account's
    /// floor to the newest state it forgot: a client further behind than that gets <c>state.too-old</c>.
    /// </summary>
    /// <returns>How many records were removed.</returns>
    public Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken ct = default)
    {
        var cutoff = UnixTime.ToMs(olderThan);
        return _core.Writer.EnqueueAsync(
            context =>
            {
                // "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint.
                context.Command(
                        "INSERT INTO change_floors (account_id, modseq) SELECT * FROM ("
                        + "SELECT f.account_id, MAX(e.modseq) FROM expunged e JOIN folders f ON f.id = e.folder_id WHERE e.removed < $c GROUP BY f.account_id"
                        + " UNION ALL SELECT account_id, MAX(modseq) FROM folder_changes WHERE created < $c GROUP BY account_id) WHERE true "
                        + "ON CONFLICT (account_id) DO UPDATE SET modseq = MAX(modseq, excluded.modseq)")
                    .Bind("$c", cutoff).ExecuteNonQuery();
                long removed = context.Command("DELETE FROM expunged WHERE removed < $c").Bind("$c", cutoff).ExecuteNonQuery();
                removed += context.Command("DELETE FROM folder_changes WHERE created < $c").Bind("$c", cutoff).ExecuteNonQuery();
                return removed;
            },
            ct);
    }

    /// <summary>
    /// Where the page ends: the state of the last change that fits in <paramref name="limit"/> without
    /// splitting a state, and whether changes remain after it.
    /// </summary>
    private static (long UpTo, bool More) PageEnd(ReadLease lease, ChangeScope scope, int limit, long state)
    {
        var command = scope.Bind(lease.Command(
            $"SELECT modseq FROM (SELECT modseq FROM messages WHERE folder_id IN ({scope.Folders}) AND modseq > $s"
            + $" UNION ALL SELECT modseq FROM expunged WHERE folder_id IN ({scope.Folders}) AND modseq > $s"
            + $" UNION ALL SELECT modseq FROM folder_changes WHERE account_id = $a AND modseq > $s{scope.Journal}) ORDER BY modseq LIMIT 2 OFFSET $l - 1"));
        command.Bind("$l", (long)limit);

        // The limit-th change and the one after it: when the next one has a higher state, the page ends
        // at the limit-th; otherwise it ends before the state that would be split (or, when that state
        // is the first of the page, takes all of it).
        var rows = new List<long>(2);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(reader.GetInt64(0));
            }
        }

        if (rows.Count < 2)
        {
            return (state, false);
        }

        var last = rows[0];
        var next = rows[1];
        if (next > last)
        {
            return (last, true);
        }

        if (last - 1 > scope.Since && HasChangesBefore(lease, scope, last))
        {
            return (last - 1, true);
        }

        return (last, last < state);
    }

    private static bool HasChangesBefore(ReadLease lease, ChangeScope scope, long state)
    {
        var command = scope.Bind(lease.Command(
            $"SELECT EXISTS (SELECT 1 FROM messages WHERE folder_id IN ({scope.Folders}) AND modseq > $s AND modseq < $u)"
            + $" OR EXISTS (SELECT 1 FROM expunged WHERE folder_id IN ({scope.Folders}) AND modseq > $s AND modseq < $u)"
            + $" OR EXISTS (SELECT 1 FROM folder_changes WHERE account_id = $a AND modseq > $s AND modseq < $u{scope.Journal})"));
        return command.Bind("$u", state).ScalarInt64() == 1;
    }

    private static List<FolderChange> ReadFolderChanges(ReadLease lease, ChangeScope scope, long upTo)
    {
        var command = scope.Bind(lease.Command(
            $"SELECT kind, name, old_name, modseq FROM folder_changes WHERE account_id = $a AND modseq > $s AND modseq <= $u{scope.Journal} ORDER BY seq"));
        command.Bind("$u", upTo);

        var changes = new List<FolderChange>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            changes.Add(new FolderChange((FolderChangeKind)reader.GetInt64(0), reader.GetString(1), reader.GetNullableString(2), reader.GetInt64(3)));
        }

        return changes;
    }

    private static List<RemovedMessage> ReadRemoved(ReadLease lease, ChangeScope scope, long upTo)
    {
        var command = scope.Bind(lease.Command(
            "SELECT f.name, e.id, e.modseq, t.name, e.moved_id FROM expunged e JOIN folders f ON f.id = e.folder_id "
            + "LEFT JOIN folders t ON t.id = e.moved_folder_id "
            + $"WHERE e.folder_id IN ({scope.Folders}) AND e.modseq > $s AND e.modseq <= $u "
            + "ORDER BY e.modseq, e.folder_id, e.id"));
        command.Bind("$u", upTo);

        var removed = new List<RemovedMessage>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var movedTo = reader.GetNullableString(3);
            removed.Add(new RemovedMessage(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetInt64(2),
                movedTo,
                movedTo is null || reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }

        return removed;
    }

    private static void ReadMessages(ReadLease lease, ChangeScope scope, long upTo, List<MessageItem> created, List<MessageItem> changed)
    {
        var command = scope.Bind(lease.Command(
            $"SELECT {MessageStore.MessageColumns}, f.name, m.added_modseq > $s FROM messages m JOIN folders f ON f.id = m.folder_id "
            + "JOIN contents c ON c.id = m.content_id "
            + $"WHERE m.folder_id IN ({scope.Folders}) AND m.modseq > $s AND m.modseq <= $u "
            + "ORDER BY m.modseq, m.folder_id, m.id"));
        command.Bind("$u", upTo);

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var item = MessageStore.ReadMessageItem(reader, reader.GetString(11));
            (reader.GetInt64(12) == 1 ? created : changed).Add(item);
        }
    }
}
