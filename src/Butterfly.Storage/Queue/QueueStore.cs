using Butterfly.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage;

/// <summary>
/// The queue: mail waiting for a remote domain's server, and inbound mail held for a filter. Entries
/// are added by a delivery commit (<see cref="DeliveryStore"/>), in the same transaction as the
/// rest of the delivery. An entry's bytes are stored once in the contents a message copy of the same
/// bytes uses too.
/// </summary>
public sealed class QueueStore : IQueueStore
{
    private const string QueueColumns =
        "q.id, q.kind, q.delivery_id, q.domain, q.sender, q.sender_account_id, q.recipients_json, q.hops, q.created, q.next_attempt, "
        + "q.attempts, q.last_error, q.delay_notified, c.size, q.meta FROM queue q JOIN contents c ON c.id = q.content_id";

    private readonly StoreCore _core;

    internal QueueStore(StoreCore core) => _core = core;

    /// <summary>Every queued message (of one kind, when given), oldest first.</summary>
    public async Task<IReadOnlyList<QueuedMessage>> ListAsync(QueueKind? kind = null, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        var command = kind is null
            ? lease.Command($"SELECT {QueueColumns} ORDER BY q.id")
            : lease.Command($"SELECT {QueueColumns} WHERE q.kind = $k ORDER BY q.id").Bind("$k", (long)kind.Value);
        return Read(command);
    }

    /// <summary>Up to <paramref name="max"/> entries of <paramref name="kind"/> due at <paramref name="now"/>, most overdue first.</summary>
    public async Task<IReadOnlyList<QueuedMessage>> ListDueAsync(QueueKind kind, DateTimeOffset now, int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        return Read(lease.Command($"SELECT {QueueColumns} WHERE q.kind = $k AND q.next_attempt <= $n ORDER BY q.next_attempt, q.id LIMIT $l")
            .Bind("$k", (long)kind).Bind("$n", UnixTime.ToMs(now)).Bind("$l", (long)max));
    }

    /// <summary>
    /// Claims the due entries for this store's worker: with one daemon per data folder there is no one else
    /// to claim from, so this is <see cref="ListDueAsync"/> (the worker keeps its own set of what is under way).
    /// </summary>
    public Task<IReadOnlyList<QueuedMessage>> ClaimDueAsync(QueueKind kind, DateTimeOffset now, int max, CancellationToken ct = default)
        => ListDueAsync(kind, now, max, ct);

    /// <summary>Ends claims: with one daemon per data folder there are none to end.</summary>
    public Task ReleaseAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default) => Task.CompletedTask;

    /// <summary>
    /// The oldest due entry of <paramref name="kind"/> per recipient list, at most <paramref name="max"/>, most
    /// overdue first: for mail waiting for a script, one message per address, in arrival order per address.
    /// </summary>
    public async Task<IReadOnlyList<QueuedMessage>> ListDueFirstPerRecipientsAsync(QueueKind kind, DateTimeOffset now, int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        return Read(lease.Command(
                $"SELECT {QueueColumns} WHERE q.id IN (SELECT MIN(id) FROM queue WHERE kind = $k AND next_attempt <= $n GROUP BY recipients_json) "
                + "ORDER BY q.next_attempt, q.id LIMIT $l")
            .Bind("$k", (long)kind).Bind("$n", UnixTime.ToMs(now)).Bind("$l", (long)max));
    }

    /// <summary>When the first entry of <paramref name="kind"/> that is not due at <paramref name="now"/> falls due; null when none waits.</summary>
    public async Task<DateTimeOffset?> NextAttemptAfterAsync(QueueKind kind, DateTimeOffset now, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        var next = lease.Command("SELECT MIN(next_attempt) FROM queue WHERE kind = $k AND next_attempt > $n")
            .Bind("$k", (long)kind).Bind("$n", UnixTime.ToMs(now)).ExecuteScalar();
        return next is long ms ? UnixTime.FromMs(ms) : null;
    }

    /// <summary>
    /// How many entries of <paramref name="kind"/> wait and since when. Cheap enough to ask at every metrics
    /// scrape: the count reads the <c>queue_due</c> index, and the oldest is the first row in id order (ids
    /// grow with time), not a scan for the minimum.
    /// </summary>
    public async Task<QueueDepth> DepthAsync(QueueKind kind, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        using var reader = lease.Command(
                "SELECT (SELECT COUNT(*) FROM queue WHERE kind = $k), (SELECT created FROM queue WHERE kind = $k ORDER BY id LIMIT 1)")
            .Bind("$k", (long)kind).ExecuteReader();
        reader.Read();
        return new QueueDepth(reader.GetInt64(0), reader.IsDBNull(1) ? null : UnixTime.FromMs(reader.GetInt64(1)));
    }

    /// <summary>One queued message, or null when there is none with this id.</summary>
    public async Task<QueuedMessage?> FindAsync(long id, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        var found = Read(lease.Command($"SELECT {QueueColumns} WHERE q.id = $id").Bind("$id", id));
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>The bytes of a queued message, or null when it is gone.</summary>
    public async Task<byte[]?> ReadContentAsync(long id, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        return lease.Command("SELECT c.data FROM queue q JOIN contents c ON c.id = q.content_id WHERE q.id = $id")
            .Bind("$id", id).ExecuteScalar() as byte[];
    }

    /// <summary>Updates an entry after an attempt, or removes it when no recipient is left.</summary>
    /// <returns>Whether the entry existed.</returns>
    public Task<bool> UpdateAsync(QueueUpdate update, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return _core.Writer.EnqueueAsync(context => context.Queue.Update(update), ct, freesSpace: true);
    }

    /// <summary>Removes a queued message (and its bytes, unless a message or another entry shares them).</summary>
    /// <returns>Whether it existed.</returns>
    public Task<bool> RemoveAsync(long id, CancellationToken ct = default)
        => _core.Writer.EnqueueAsync(context => context.Queue.Remove(id), ct, freesSpace: true);

    /// <summary>Makes one entry, or all when <paramref name="id"/> is null, due at <paramref name="now"/>.</summary>
    /// <returns>How many entries were made due.</returns>
    public Task<int> RetryAsync(long? id, DateTimeOffset now, CancellationToken ct = default)
        => _core.Writer.EnqueueAsync(
            context => id is null
                ? context.Command("UPDATE queue SET next_attempt = $n").Bind("$n", UnixTime.ToMs(now)).ExecuteNonQuery()
                : context.Command("UPDATE queue SET next_attempt = $n WHERE id = $id").Bind("$n", UnixTime.ToMs(now)).Bind("$id", id.Value).ExecuteNonQuery(),
            ct);

    private static List<QueuedMessage> Read(SqliteCommand command)
    {
        var result = new List<QueuedMessage>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new QueuedMessage(
                reader.GetInt64(0),
                (QueueKind)reader.GetInt64(1),
                reader.GetString(2),
                reader.GetNullableString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                StringListJson.Read(reader.GetString(6)),
                (int)reader.GetInt64(7),
                UnixTime.FromMs(reader.GetInt64(8)),
                UnixTime.FromMs(reader.GetInt64(9)),
                (int)reader.GetInt64(10),
                reader.GetNullableString(11),
                reader.GetInt64(12) != 0,
                reader.GetInt64(13),
                reader.GetNullableString(14)));
        }

        return result;
    }
}
