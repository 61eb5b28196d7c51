using Butterfly.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage;

/// <summary>Reading and changing the queue, and the records of deliveries received from peers.</summary>
public sealed partial class MailStore
{
    private const string QueueColumns =
        "id, kind, delivery_id, domain, sender, sender_account_id, recipients_json, hops, created, next_attempt, "
        + "attempts, last_error, delay_notified, size, meta";

    /// <summary>Every queued message (of one kind, when given), oldest first.</summary>
    public async Task<IReadOnlyList<QueuedMessage>> ListQueueAsync(QueueKind? kind = null, CancellationToken ct = default)
    {
        using var lease = await _readers.RentAsync(ct).ConfigureAwait(false);
        var command = kind is null
            ? lease.Command($"SELECT {QueueColumns} FROM queue ORDER BY id")
            : lease.Command($"SELECT {QueueColumns} FROM queue WHERE kind = $k ORDER BY id").Bind("$k", (long)kind.Value);
        return ReadQueue(command);
    }

    /// <summary>Up to <paramref name="max"/> entries of <paramref name="kind"/> due at <paramref name="now"/>, most overdue first.</summary>
    public async Task<IReadOnlyList<QueuedMessage>> GetDueQueueAsync(QueueKind kind, DateTimeOffset now, int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        using var lease = await _readers.RentAsync(ct).ConfigureAwait(false);
        return ReadQueue(lease.Command(
                $"SELECT {QueueColumns} FROM queue WHERE kind = $k AND next_attempt <= $n ORDER BY next_attempt, id LIMIT $l")
            .Bind("$k", (long)kind).Bind("$n", ToUnixMs(now)).Bind("$l", (long)max));
    }

    /// <summary>One queued message, or null.</summary>
    public async Task<QueuedMessage?> GetQueuedAsync(long id, CancellationToken ct = default)
    {
        using var lease = await _readers.RentAsync(ct).ConfigureAwait(false);
        var found = ReadQueue(lease.Command($"SELECT {QueueColumns} FROM queue WHERE id = $id").Bind("$id", id));
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>The bytes of a queued message, or null when it is gone.</summary>
    public async Task<byte[]?> ReadQueuedContentAsync(long id, CancellationToken ct = default)
    {
        using var lease = await _readers.RentAsync(ct).ConfigureAwait(false);
        return lease.Command("SELECT data FROM queue WHERE id = $id").Bind("$id", id).ExecuteScalar() as byte[];
    }

    /// <summary>Updates an entry after an attempt, or removes it when no recipient is left.</summary>
    /// <returns>Whether the entry existed.</returns>
    public Task<bool> UpdateQueuedAsync(QueueUpdate update, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return _writer.EnqueueAsync(context => ApplyQueueUpdate(context, update), ct);
    }

    /// <summary>Removes a queued message.</summary>
    /// <returns>Whether it existed.</returns>
    public Task<bool> RemoveQueuedAsync(long id, CancellationToken ct = default) =>
        _writer.EnqueueAsync(
            context => context.Command("DELETE FROM queue WHERE id = $id").Bind("$id", id).ExecuteNonQuery() > 0,
            ct);

    /// <summary>Makes one entry, or all when <paramref name="id"/> is null, due at <paramref name="now"/>.</summary>
    /// <returns>How many entries were made due.</returns>
    public Task<int> RetryQueuedAsync(long? id, DateTimeOffset now, CancellationToken ct = default) =>
        _writer.EnqueueAsync(
            context => id is null
                ? context.Command("UPDATE queue SET next_attempt = $n").Bind("$n", ToUnixMs(now)).ExecuteNonQuery()
                : context.Command("UPDATE queue SET next_attempt = $n WHERE id = $id")
                    .Bind("$n", ToUnixMs(now)).Bind("$id", id.Value).ExecuteNonQuery(),
            ct);

    /// <summary>The answer recorded for a peer's delivery id, or null when it was never committed.</summary>
    public async Task<string?> FindReceivedAsync(string peer, string deliveryId, CancellationToken ct = default)
    {
        using var lease = await _readers.RentAsync(ct).ConfigureAwait(false);
        return lease.Command("SELECT result FROM received WHERE peer = $p AND delivery_id = $d")
            .Bind("$p", peer).Bind("$d", deliveryId).ExecuteScalar() as string;
    }

    /// <summary>Forgets peer delivery records older than <paramref name="olderThan"/> (kept longer than any peer retries).</summary>
    /// <returns>How many were removed.</returns>
    public Task<int> PruneReceivedAsync(DateTimeOffset olderThan, CancellationToken ct = default) =>
        _writer.EnqueueAsync(
            context => context.Command("DELETE FROM received WHERE created < $c").Bind("$c", ToUnixMs(olderThan)).ExecuteNonQuery(),
            ct);

    private static List<QueuedMessage> ReadQueue(SqliteCommand command)
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
                FromUnixMs(reader.GetInt64(8)),
                FromUnixMs(reader.GetInt64(9)),
                (int)reader.GetInt64(10),
                reader.GetNullableString(11),
                reader.GetInt64(12) != 0,
                reader.GetInt64(13),
                reader.GetNullableString(14)));
        }

        return result;
    }
}
