using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// The queue on PostgreSQL: mail waiting for a remote domain's server, and inbound mail held for a filter or
/// a script. Entries are added by the delivery commit; their bytes are stored once in <c>contents</c>. Any
/// number of daemons work one queue: each claims the entries it works (<see cref="ClaimDueAsync"/>), with a
/// lease that its update or removal ends and that runs out when the daemon dies (README.md, "Leases").
/// </summary>
public sealed class PgQueueStore : IQueueStore
{
    private const string Columns =
        "q.id, q.kind, q.delivery_id, q.domain, q.sender, q.sender_account_id, q.recipients_json, q.hops, q.created, q.next_attempt, "
        + "q.attempts, q.last_error, q.delay_notified, c.size, q.meta";

    private const string QueueColumns = Columns + " FROM queue q JOIN contents c ON c.id = q.content_id";

    // A due entry this instance may take: free, its own already, or leased by an instance that stopped renewing.
    private const string Claimable =
        $"e.kind = @k AND e.next_attempt <= @n AND (e.lease_owner IS NULL OR e.lease_owner = @o OR e.lease_until < {PgLeases.ServerNowMs})";

    // Skips what another claim or a write holds locked this moment: daemons claiming at once take different entries.
    private const string ClaimSql =
        $"WITH picked AS (SELECT e.id FROM queue e WHERE {Claimable} ORDER BY e.next_attempt, e.id LIMIT @l FOR UPDATE SKIP LOCKED) "
        + $"UPDATE queue q SET lease_owner = @o, lease_until = {PgLeases.ServerNowMs} + @d FROM picked p, contents c "
        + $"WHERE q.id = p.id AND c.id = q.content_id RETURNING {Columns}";

    // Scripts' mail, in arrival order per address: nothing of an address while another instance holds an earlier
    // message of it. The claims take turns (an advisory lock), so each sees the leases the one before committed;
    // and they wait for a locked row rather than skip it, which could take a later message before an earlier one.
    private const string ClaimInOrderSql =
        $"WITH picked AS (SELECT e.id FROM queue e WHERE {Claimable} AND NOT EXISTS (SELECT 1 FROM queue b WHERE b.lease_owner IS NOT NULL "
        + $"AND b.kind = e.kind AND b.recipients_json = e.recipients_json AND b.id < e.id AND b.lease_owner <> @o AND b.lease_until >= {PgLeases.ServerNowMs}) "
        + "ORDER BY e.next_attempt, e.id LIMIT @l FOR UPDATE OF e) "
        + $"UPDATE queue q SET lease_owner = @o, lease_until = {PgLeases.ServerNowMs} + @d FROM picked p, contents c "
        + $"WHERE q.id = p.id AND c.id = q.content_id RETURNING {Columns}";

    // The earlier of: the first entry not due yet, and the end of another instance's lease on an entry (on this
    // instance's clock: @now plus what is left of the lease on the server's).
    private const string NextSql =
        "SELECT LEAST((SELECT MIN(next_attempt) FROM queue WHERE kind = @k AND next_attempt > @n), "
        + $"(SELECT MIN(GREATEST(next_attempt, @now + lease_until - {PgLeases.ServerNowMs})) FROM queue "
        + $"WHERE lease_owner IS NOT NULL AND kind = @k AND lease_owner <> @o AND lease_until >= {PgLeases.ServerNowMs}))";

    // Any fixed number, the same in every build: pg_advisory_xact_lock's key for "claiming scripts' mail".
    private const long InOrderClaimLock = 0x42_75_74_74_53_63_72_71;

    private readonly PgDatabase _db;

    internal PgQueueStore(PgDatabase db) => _db = db;

    /// <summary>This instance's leases (tests stop them to play a daemon that died).</summary>
    internal PgLeases Leases => _db.Leases;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<QueuedMessage>> ListAsync(QueueKind? kind = null, CancellationToken ct = default)
        => await _db.ReadAsync(
            read => kind is null
                ? read.ListAsync($"SELECT {QueueColumns} ORDER BY q.id", Read)
                : read.ListAsync($"SELECT {QueueColumns} WHERE q.kind = @k ORDER BY q.id", Read, ("k", (int)kind.Value)),
            ct).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<QueuedMessage>> ListDueAsync(QueueKind kind, DateTimeOffset now, int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return await _db.ReadAsync(
            read => read.ListAsync(
                $"SELECT {QueueColumns} WHERE q.kind = @k AND q.next_attempt <= @n ORDER BY q.next_attempt, q.id LIMIT @l",
                Read,
                ("k", (int)kind), ("n", UnixTime.ToMs(now)), ("l", (long)max)),
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<QueuedMessage>> ClaimDueAsync(QueueKind kind, DateTimeOffset now, int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var leases = _db.Leases;
        leases.Claimed();
        var claimed = await _db.WriteAsync(
            async write =>
            {
                var inOrder = kind == QueueKind.Script;
                if (inOrder)
                {
                    await write.ExecuteAsync("SELECT pg_advisory_xact_lock(@lock)", ("lock", InOrderClaimLock)).ConfigureAwait(false);
                }

                return await write.ListAsync(
                    inOrder ? ClaimInOrderSql : ClaimSql,
                    Read,
                    ("k", (int)kind), ("n", UnixTime.ToMs(now)), ("l", (long)max), ("o", leases.Owner), ("d", leases.DurationMs)).ConfigureAwait(false);
            },
            ct).ConfigureAwait(false);

        // RETURNING keeps no order.
        claimed.Sort((a, b) => a.NextAttempt != b.NextAttempt ? a.NextAttempt.CompareTo(b.NextAttempt) : a.Id.CompareTo(b.Id));
        return claimed;
    }

    /// <inheritdoc/>
    public async Task ReleaseAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count > 0)
        {
            await _db.WriteAsync(
                write => write.ExecuteAsync(
                    "UPDATE queue SET lease_owner = NULL, lease_until = NULL WHERE id = ANY(@ids) AND lease_owner = @o", ("ids", ids.ToArray()), ("o", _db.Leases.Owner)),
                ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<QueuedMessage>> ListDueFirstPerRecipientsAsync(QueueKind kind, DateTimeOffset now, int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return await _db.ReadAsync(
            read => read.ListAsync(
                $"SELECT {QueueColumns} WHERE q.id IN (SELECT MIN(id) FROM queue WHERE kind = @k AND next_attempt <= @n GROUP BY recipients_json) "
                + "ORDER BY q.next_attempt, q.id LIMIT @l",
                Read,
                ("k", (int)kind), ("n", UnixTime.ToMs(now)), ("l", (long)max)),
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<DateTimeOffset?> NextAttemptAfterAsync(QueueKind kind, DateTimeOffset now, CancellationToken ct = default)
    {
        var next = await _db.ReadAsync(
            read => read.Int64Async(
                NextSql,
                ("k", (int)kind), ("n", UnixTime.ToMs(now)), ("now", UnixTime.ToMs(DateTimeOffset.UtcNow)), ("o", _db.Leases.Owner)),
            ct).ConfigureAwait(false);
        return next is { } ms ? UnixTime.FromMs(ms) : null;
    }

    /// <inheritdoc/>
    public async Task<QueueDepth> DepthAsync(QueueKind kind, CancellationToken ct = default)
        => await _db.ReadAsync(
            async read => (await read.FirstAsync(
                "SELECT (SELECT COUNT(*) FROM queue WHERE kind = @k), (SELECT created FROM queue WHERE kind = @k ORDER BY id LIMIT 1)",
                r => (QueueDepth?)new QueueDepth(r.GetInt64(0), r.IsDBNull(1) ? null : UnixTime.FromMs(r.GetInt64(1))),
                ("k", (int)kind)).ConfigureAwait(false))!.Value,
            ct).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<QueuedMessage?> FindAsync(long id, CancellationToken ct = default)
        => await _db.ReadAsync(read => read.FirstAsync($"SELECT {QueueColumns} WHERE q.id = @id", Read, ("id", id)), ct).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<byte[]?> ReadContentAsync(long id, CancellationToken ct = default)
        => await _db.ReadAsync(
            read => read.FirstAsync("SELECT c.data FROM queue q JOIN contents c ON c.id = q.content_id WHERE q.id = @id", r => r.GetFieldValue<byte[]>(0), ("id", id)),
            ct).ConfigureAwait(false);

    /// <inheritdoc/>
    public Task<bool> UpdateAsync(QueueUpdate update, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return _db.WriteAsync(write => write.UpdateQueueAsync(update), ct);
    }

    /// <inheritdoc/>
    public Task<bool> RemoveAsync(long id, CancellationToken ct = default)
        => _db.WriteAsync(write => write.RemoveQueueAsync(id), ct);

    /// <inheritdoc/>
    public Task<int> RetryAsync(long? id, DateTimeOffset now, CancellationToken ct = default)
        => _db.WriteAsync(
            write => id is null
                ? write.ExecuteAsync("UPDATE queue SET next_attempt = @n", ("n", UnixTime.ToMs(now)))
                : write.ExecuteAsync("UPDATE queue SET next_attempt = @n WHERE id = @id", ("n", UnixTime.ToMs(now)), ("id", id.Value)),
            ct);

    private static QueuedMessage Read(NpgsqlDataReader reader)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new QueuedMessage(
            reader.GetInt64(0),
            (QueueKind)reader.GetInt32(1),
            reader.GetString(2),
            Text(3),
            reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetInt64(5),
            StringListJson.Read(reader.GetString(6)),
            reader.GetInt32(7),
            UnixTime.FromMs(reader.GetInt64(8)),
            UnixTime.FromMs(reader.GetInt64(9)),
            reader.GetInt32(10),
            Text(11),
            reader.GetBoolean(12),
            reader.GetInt64(13),
            Text(14));
    }
}
