using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// The queue on PostgreSQL: mail waiting for a remote domain's server, and inbound mail held for a filter or
/// a script. Entries are added by the delivery commit; their bytes are stored once in <c>contents</c>.
/// Several daemons working one queue need leases (issue 17: <c>FOR UPDATE SKIP LOCKED</c> with expiry), which
/// this store does not take yet: one daemon per database works the queue.
/// </summary>
public sealed class PgQueueStore : IQueueStore
{
    private const string QueueColumns =
        "q.id, q.kind, q.delivery_id, q.domain, q.sender, q.sender_account_id, q.recipients_json, q.hops, q.created, q.next_attempt, "
        + "q.attempts, q.last_error, q.delay_notified, c.size, q.meta FROM queue q JOIN contents c ON c.id = q.content_id";

    private readonly PgDatabase _db;

    internal PgQueueStore(PgDatabase db) => _db = db;

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
            read => read.Int64Async("SELECT MIN(next_attempt) FROM queue WHERE kind = @k AND next_attempt > @n", ("k", (int)kind), ("n", UnixTime.ToMs(now))),
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
