using Butterfly.Storage.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres.Internal;

/// <summary>Folder and message rows (Butterfly.Storage's MailboxRows and FolderJournal, on PostgreSQL).</summary>
internal sealed partial class PgWrite
{
    private const string ReserveIdSql =
        "UPDATE folders SET next_id = next_id + 1, modseq = @m, messages = messages + 1, unseen = unseen + @u WHERE id = @f RETURNING next_id - 1";

    private const string InsertMessageSql =
        "INSERT INTO messages (folder_id, id, content_id, flags, received, modseq, added_modseq) VALUES (@f, @i, @c, @g, @r, @m, @m)";

    // A delivered copy in one statement: the account's modification sequence bumped (its row is locked already),
    // the folder's next id taken and the message row added; answers the new modseq and the id (NULL: no such folder).
    private const string AddCopySql =
        "WITH m AS (UPDATE accounts SET modseq = modseq + 1 WHERE id = @a RETURNING modseq), "
        + "f AS (UPDATE folders SET next_id = next_id + 1, modseq = (SELECT modseq FROM m), messages = messages + 1, unseen = unseen + @u "
        + "WHERE account_id = @a AND name = @n RETURNING id, next_id - 1 AS uid, modseq), "
        + "i AS (INSERT INTO messages (folder_id, id, content_id, flags, received, modseq, added_modseq) SELECT id, uid, @c, @g, @r, modseq, modseq FROM f)";

    private const string AddCopyAnswerSql = " SELECT m.modseq, f.uid FROM m LEFT JOIN f ON true";

    // The same with the copy threaded (ThreadAsync), a new thread numbered with the copy's modseq.
    private const string AddThreadedCopySql =
        AddCopySql + ", t AS (" + ThreadInsertSql + "(SELECT modseq FROM m)), @k, @r ON CONFLICT DO NOTHING)" + AddCopyAnswerSql;

    private const string InsertExpungedSql =
        "INSERT INTO expunged (folder_id, id, modseq, moved_folder_id, moved_id, removed) VALUES (@f, @i, @m, @tf, @ti, @r) "
        + "ON CONFLICT (folder_id, id) DO UPDATE SET modseq = excluded.modseq, moved_folder_id = excluded.moved_folder_id, "
        + "moved_id = excluded.moved_id, removed = excluded.removed";

    /// <summary>
    /// Bumps the account's modification sequence; null when the account does not exist. The account's row
    /// stays locked until the transaction ends, so the writes to one account follow one another.
    /// </summary>
    public async Task<long?> BumpModSeqAsync(long accountId)
    {
        var modSeq = await Int64Async("UPDATE accounts SET modseq = modseq + 1 WHERE id = @a RETURNING modseq", ("a", accountId)).ConfigureAwait(false);
        if (modSeq is { } bumped)
        {
            (ChangedAccounts ??= [])[accountId] = bumped;
        }

        return modSeq;
    }

    /// <summary>
    /// A delivered copy as one statement for a batch (the account's row locked already): bumps the account's
    /// modification sequence, adds the message to the folder named <paramref name="canonicalName"/> with the folder's
    /// next id and, with <paramref name="thread"/>, threads it (<see cref="ThreadAsync"/>). Its one row, read by
    /// <see cref="ReadCopyAsync"/>: the new modseq and the id, null when there is no such folder.
    /// </summary>
    public static NpgsqlBatchCommand AddCopyCommand(
        long accountId, string canonicalName, long contentId, MessageFlags flags, long receivedMs, ContentSummary? thread)
    {
        (string Name, object? Value)[] copy =
            [("a", accountId), ("n", canonicalName), ("u", UnseenCount(flags)), ("c", contentId), ("g", (long)flags), ("r", receivedMs)];
        if (thread is null)
        {
            return BatchCommand(AddCopySql + AddCopyAnswerSql, copy);
        }

        var command = BatchCommand(AddThreadedCopySql, [.. copy, .. ThreadParameters(thread, receivedMs).Where(p => p.Name != "r")]);
        command.Parameters["k"].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        return command;
    }

    /// <summary>Reads the row of <see cref="AddCopyCommand"/> and notes the account's new modseq; the copy's id, or null when the folder did not exist.</summary>
    public async Task<long?> ReadCopyAsync(NpgsqlDataReader reader, long accountId)
    {
        if (!await reader.ReadAsync().ConfigureAwait(false))
        {
            throw new StoreException("Account vanished while storing a message.");
        }

        var modSeq = reader.GetInt64(0);
        (ChangedAccounts ??= [])[accountId] = modSeq;
        return reader.IsDBNull(1) ? null : reader.GetInt64(1);
    }

    /// <summary>Locks the account's row until the transaction ends, as a bump would, without changing its state; false when there is no such account.</summary>
    public async Task<bool> LockAccountAsync(long accountId)
        => await Int64Async("SELECT id FROM accounts WHERE id = @a FOR UPDATE", ("a", accountId)).ConfigureAwait(false) is not null;

    /// <summary>The id of a folder by canonical name, or null.</summary>
    public Task<long?> FindFolderAsync(long accountId, string canonicalName)
        => Int64Async("SELECT id FROM folders WHERE account_id = @a AND name = @n", ("a", accountId), ("n", canonicalName));

    /// <summary>Adds a message to a folder with the folder's next id; returns that id.</summary>
    public async Task<long> AddMessageAsync(long folderId, long contentId, MessageFlags flags, long receivedMs, long modSeq)
    {
        var id = await Int64Async(ReserveIdSql, ("m", modSeq), ("f", folderId), ("u", UnseenCount(flags))).ConfigureAwait(false)
            ?? throw new StoreException("Folder vanished while storing a message.");
        await InsertMessageAsync(folderId, id, contentId, flags, receivedMs, modSeq).ConfigureAwait(false);
        return id;
    }

    /// <summary>Loads the rows of the given ids, in the given order, locked for this transaction; the first missing id when any is absent.</summary>
    public async Task<(List<MessageRow>? Rows, long Missing)> LoadMessagesAsync(long folderId, IReadOnlyList<long> ids)
    {
        var found = await ListAsync(
            "SELECT id, content_id, flags, received, modseq FROM messages WHERE folder_id = @f AND id = ANY(@ids) FOR UPDATE",
            r => new MessageRow(r.GetInt64(0), r.GetInt64(1), (MessageFlags)r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)),
            ("f", folderId), ("ids", ids.ToArray())).ConfigureAwait(false);
        var byId = found.ToDictionary(m => m.Id);
        var rows = new List<MessageRow>(ids.Count);
        foreach (var id in ids)
        {
            if (!byId.TryGetValue(id, out var row))
            {
                return (null, id);
            }

            rows.Add(row);
        }

        return (rows, 0);
    }

    /// <summary>
    /// Removes a message row, keeps the folder's counters and records the expunge (with where the message
    /// went, for a move); returns its content id, or null if absent.
    /// </summary>
    public async Task<long?> RemoveMessageAsync(long folderId, long id, long modSeq, long? movedToFolder = null, long? movedToId = null)
    {
        var removed = await FirstAsync(
            "DELETE FROM messages WHERE folder_id = @f AND id = @i RETURNING content_id, flags",
            r => (long[]?)[r.GetInt64(0), r.GetInt64(1)],
            ("f", folderId), ("i", id)).ConfigureAwait(false);
        if (removed is null)
        {
            return null;
        }

        await ExecuteAsync(
            "UPDATE folders SET messages = messages - 1, unseen = unseen - @u WHERE id = @f",
            ("u", UnseenCount((MessageFlags)removed[1])), ("f", folderId)).ConfigureAwait(false);
        await ExecuteAsync(
            InsertExpungedSql,
            ("f", folderId), ("i", id), ("m", modSeq), ("tf", movedToFolder), ("ti", movedToId), ("r", UnixTime.ToMs(DateTimeOffset.UtcNow))).ConfigureAwait(false);
        return removed[0];
    }

    /// <summary>Adjusts a folder's unseen counter after flag changes.</summary>
    public async Task AdjustUnseenAsync(long folderId, long delta)
    {
        if (delta != 0)
        {
            await ExecuteAsync("UPDATE folders SET unseen = unseen + @d WHERE id = @f", ("d", delta), ("f", folderId)).ConfigureAwait(false);
        }
    }

    /// <summary>Marks a folder as changed at <paramref name="modSeq"/> (for removals, which add no row).</summary>
    public Task TouchFolderAsync(long folderId, long modSeq)
        => ExecuteAsync("UPDATE folders SET modseq = @m WHERE id = @f", ("m", modSeq), ("f", folderId));

    /// <summary>Journals a folder creation, rename or deletion for "changes since".</summary>
    public Task RecordFolderChangeAsync(long accountId, long modSeq, FolderChangeKind kind, long folderId, string name, string? oldName = null)
        => ExecuteAsync(
            "INSERT INTO folder_changes (account_id, modseq, kind, folder_id, name, old_name, created) VALUES (@a, @m, @k, @f, @n, @o, @c)",
            ("a", accountId), ("m", modSeq), ("k", (int)kind), ("f", folderId), ("n", name), ("o", oldName), ("c", UnixTime.ToMs(DateTimeOffset.UtcNow)));

    private static long UnseenCount(MessageFlags flags) => (flags & MessageFlags.Seen) == 0 ? 1 : 0;

    private Task InsertMessageAsync(long folderId, long id, long contentId, MessageFlags flags, long receivedMs, long modSeq)
        => ExecuteAsync(InsertMessageSql, ("f", folderId), ("i", id), ("c", contentId), ("g", (long)flags), ("r", receivedMs), ("m", modSeq));
}
