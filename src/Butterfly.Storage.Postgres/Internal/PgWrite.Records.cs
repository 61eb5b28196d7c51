using Butterfly.Storage.Internal;
using Npgsql;
using NpgsqlTypes;

namespace Butterfly.Storage.Postgres.Internal;

/// <summary>
/// Queue rows, submission and peer records, script runs, address owners and quota states (Butterfly.Storage's
/// QueueRows, SubmissionRows, ScriptRows, AddressRows and QuotaStore.Read, on PostgreSQL).
/// </summary>
internal sealed partial class PgWrite
{
    private const string QuotaColumns = "id, address, usage, quota";

    private const string FindPeerRecordSql = "SELECT result FROM received WHERE peer = @p AND delivery_id = @d";

    private const string FindSubmissionSql = "SELECT result, folder, message_id FROM submissions WHERE account_id = @a AND submission_id = @s";

    private const string InsertSubmissionSql =
        "INSERT INTO submissions (account_id, submission_id, result, folder, message_id, created) VALUES (@a, @s, @r, @f, @m, @c)";

    private const string InsertQueueSql =
        "INSERT INTO queue (kind, delivery_id, domain, sender, sender_account_id, recipients_json, hops, created, next_attempt, meta, content_id) "
        + "VALUES (@k, @d, @dom, @s, @sa, @r, @h, @c, @n, @meta, @content) RETURNING id";

    private const string InsertRunSql =
        "INSERT INTO script_runs (address, at, trigger, outcome, committed, version, delivery, sender, message_id, effects, error, log, statements, elapsed_us) "
        + "VALUES (@a, @at, @t, @o, @c, @v, @d, @s, @m, @e, @err, @l, @st, @el) RETURNING id";

    private const string PruneRunsSql =
        "DELETE FROM script_runs WHERE address = @a AND id <= (SELECT id FROM script_runs WHERE address = @a ORDER BY id DESC LIMIT 1 OFFSET @k)";

    private const string OwnerSql =
        "SELECT 'an account' FROM accounts WHERE address = @a AND NOT @skip "
        + "UNION ALL SELECT 'an alias' FROM aliases WHERE address = @a "
        + "UNION ALL SELECT 'a list' FROM lists WHERE address = @a "
        + "UNION ALL SELECT 'a script address' FROM script_addresses WHERE address = @a LIMIT 1";

    /// <summary>Adds a queue entry whose bytes are content <paramref name="contentId"/>; returns its id.</summary>
    public async Task<long> InsertQueueAsync(QueueEntry entry, long contentId, long nowMs)
    {
        await using var command = Command(
            InsertQueueSql,
            ("k", (int)entry.Kind), ("d", entry.DeliveryId), ("dom", entry.Domain), ("s", entry.Sender), ("sa", entry.SenderAccountId),
            ("r", StringListJson.Write(entry.Recipients) ?? "[]"), ("h", entry.Hops), ("c", nowMs), ("n", UnixTime.ToMs(entry.NextAttempt)),
            ("meta", entry.Meta), ("content", contentId));
        return (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    /// <summary>Records an attempt (ending the entry's lease), or removes the entry when no recipient is left; whether the entry existed.</summary>
    public async Task<bool> UpdateQueueAsync(QueueUpdate update)
    {
        if (update.Recipients is null || update.Recipients.Count == 0)
        {
            return await RemoveQueueAsync(update.Id).ConfigureAwait(false);
        }

        return await ExecuteAsync(
            "UPDATE queue SET recipients_json = @r, next_attempt = @n, attempts = @at, last_error = @e, delay_notified = @dn, "
            + "lease_owner = NULL, lease_until = NULL WHERE id = @id",
            ("r", StringListJson.Write(update.Recipients)), ("n", UnixTime.ToMs(update.NextAttempt)), ("at", update.Attempts),
            ("e", update.LastError), ("dn", update.DelayNotified), ("id", update.Id)).ConfigureAwait(false) > 0;
    }

    /// <summary>Removes a queue entry, and its content when nothing else refers to it; whether the entry existed.</summary>
    public async Task<bool> RemoveQueueAsync(long id)
    {
        var contentId = await Int64Async("DELETE FROM queue WHERE id = @id RETURNING content_id", ("id", id)).ConfigureAwait(false);
        if (contentId is null)
        {
            return false;
        }

        await DeleteUnreferencedAsync([contentId.Value]).ConfigureAwait(false);
        return true;
    }

    /// <summary>The answer recorded for a peer's delivery id, or null.</summary>
    public Task<string?> FindPeerRecordAsync(ReceivedRecord record)
        => TextAsync(FindPeerRecordSql, ("p", record.Peer), ("d", record.DeliveryId));

    /// <summary><see cref="FindPeerRecordAsync"/> for a batch: one row (result) or none.</summary>
    public static NpgsqlBatchCommand FindPeerRecordCommand(ReceivedRecord record)
        => BatchCommand(FindPeerRecordSql, ("p", record.Peer), ("d", record.DeliveryId));

    /// <summary><see cref="FindSubmissionAsync"/> for a batch: one row (result, folder, message_id) or none.</summary>
    public static NpgsqlBatchCommand FindSubmissionCommand(SubmissionRecord record)
        => BatchCommand(FindSubmissionSql, ("a", record.AccountId), ("s", record.SubmissionId));

    /// <summary>Records a peer's delivery id with the answer given.</summary>
    public Task InsertPeerRecordAsync(ReceivedRecord record, long nowMs)
        => ExecuteAsync(
            "INSERT INTO received (peer, delivery_id, result, created) VALUES (@p, @d, @r, @c)",
            ("p", record.Peer), ("d", record.DeliveryId), ("r", record.Result), ("c", nowMs));

    /// <summary>
    /// The answer recorded for a client's submission id, or null. Locks nothing: two commits of one id race to
    /// the primary key, and the loser's transaction fails and runs again, then finds the winner's record.
    /// </summary>
    public Task<SubmissionAnswer?> FindSubmissionAsync(SubmissionRecord record)
        => FirstAsync(
            FindSubmissionSql,
            r => new SubmissionAnswer(r.GetString(0), new DeliveredCopy(record.AccountId, r.GetString(1), r.GetInt64(2))),
            ("a", record.AccountId), ("s", record.SubmissionId));

    /// <summary>Records a client's submission id with the copy its answer names.</summary>
    public Task InsertSubmissionAsync(SubmissionRecord record, DeliveredCopy copy, long nowMs)
        => ExecuteAsync(
            InsertSubmissionSql,
            ("a", record.AccountId), ("s", record.SubmissionId), ("r", record.Result), ("f", copy.Folder), ("m", copy.Id), ("c", nowMs));

    /// <summary>Applies a script run's record; a failure (conflict) means the caller's whole transaction rolls back.</summary>
    public async Task<StoreFailure?> ApplyScriptRunAsync(ScriptRunRecord record, long nowMs)
    {
        var address = record.Run.Address;
        if (record.ConsumeQueueId is { } queueId)
        {
            var kind = await Int64Async("SELECT kind FROM queue WHERE id = @id FOR UPDATE", ("id", queueId)).ConfigureAwait(false);
            if (kind != (long)QueueKind.Script)
            {
                return Failures.ScriptConflict(address, "the incoming message");
            }

            await RemoveQueueAsync(queueId).ConfigureAwait(false);
        }

        if (record.NewState is { } state
            && await ExecuteAsync(
                "UPDATE scripts SET state = @s, state_version = state_version + 1 WHERE address = @a AND state_version = @v",
                ("s", state), ("a", address), ("v", record.ExpectedStateVersion)).ConfigureAwait(false) == 0)
        {
            return Failures.ScriptConflict(address, "the state");
        }

        if (record.ExpectedNextRun is { } due)
        {
            await using var move = Command(
                "UPDATE scripts SET next_run = @n, lease_owner = NULL, lease_until = NULL WHERE address = @a AND next_run = @due",
                ("n", record.NextRun is { } next ? UnixTime.ToMs(next) : null), ("a", address), ("due", UnixTime.ToMs(due)));
            move.Parameters["n"].NpgsqlDbType = NpgsqlDbType.Bigint;
            if (await move.ExecuteNonQueryAsync().ConfigureAwait(false) == 0)
            {
                return Failures.ScriptConflict(address, "the schedule");
            }
        }

        await InsertRunAsync(record.Run, nowMs, record.KeepRuns).ConfigureAwait(false);
        return null;
    }

    /// <summary>Adds a script's log row and keeps the newest <paramref name="keep"/> of the address.</summary>
    public async Task<long> InsertRunAsync(ScriptRun run, long nowMs, int keep)
    {
        var id = await Int64Async(
            InsertRunSql,
            ("a", run.Address), ("at", nowMs), ("t", run.Trigger), ("o", run.Outcome), ("c", run.Committed), ("v", run.Version),
            ("d", run.Delivery), ("s", run.Sender), ("m", run.MessageId), ("e", run.Effects), ("err", run.Error), ("l", run.Log),
            ("st", run.Statements), ("el", run.ElapsedMicroseconds)).ConfigureAwait(false);
        await ExecuteAsync(PruneRunsSql, ("a", run.Address), ("k", (long)Math.Max(1, keep))).ConfigureAwait(false);
        return id!.Value;
    }

    /// <summary>What holds <paramref name="address"/> (normalized): "an account", "an alias", "a list", "a script address", or null.</summary>
    public Task<string?> OwnerOfAsync(string address, bool skipAccounts = false)
        => TextAsync(OwnerSql, ("a", address), ("skip", skipAccounts));

    /// <summary>An account's usage and quota, or null when there is no such account.</summary>
    public Task<QuotaState?> ReadQuotaAsync(long accountId) => ReadQuotaAsync("WHERE id = @a", ("a", accountId));

    /// <summary>The usage and quota of the account <paramref name="where"/> selects, or null.</summary>
    public Task<QuotaState?> ReadQuotaAsync(string where, params (string Name, object? Value)[] parameters)
        => FirstAsync($"SELECT {QuotaColumns} FROM accounts {where}", r => (QuotaState?)QuotaRow(r), parameters);

    /// <summary>
    /// Locks the given accounts' rows in id order (two commits to the same accounts never deadlock) and returns their
    /// usage and quota as they are once locked, by id; an account that does not exist is not in the answer.
    /// </summary>
    public static NpgsqlBatchCommand LockAccountsCommand(IEnumerable<long> accountIds)
        => BatchCommand($"SELECT {QuotaColumns} FROM accounts WHERE id = ANY(@ids) ORDER BY id FOR UPDATE", ("ids", accountIds.ToArray()));

    /// <summary>The usage and quota of the given accounts, in no particular order.</summary>
    public static NpgsqlBatchCommand ReadQuotasCommand(IEnumerable<long> accountIds)
        => BatchCommand($"SELECT {QuotaColumns} FROM accounts WHERE id = ANY(@ids)", ("ids", accountIds.ToArray()));

    /// <summary>A row of <see cref="QuotaColumns"/>.</summary>
    public QuotaState QuotaRow(NpgsqlDataReader r)
    {
        var (limit, setting) = r.IsDBNull(3)
            ? (Options.DefaultQuotaBytes, QuotaSetting.Default)
            : r.GetInt64(3) == QuotaStore.UnlimitedMarker ? ((long?)null, QuotaSetting.Unlimited) : (r.GetInt64(3), QuotaSetting.Account);
        return new QuotaState(r.GetInt64(0), r.GetString(1), r.GetInt64(2), limit, setting);
    }
}
