namespace Butterfly.Storage;

/// <summary>
/// Outbound and held entries: list, due, read bytes, update, retry, remove.
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface IQueueStore
{
    /// <summary>Every queued message (of one kind, when given), oldest first.</summary>
    Task<IReadOnlyList<QueuedMessage>> ListAsync(QueueKind? kind = null, CancellationToken ct = default);

    /// <summary>Up to <paramref name="max"/> entries of <paramref name="kind"/> due at <paramref name="now"/>, most overdue first.</summary>
    Task<IReadOnlyList<QueuedMessage>> ListDueAsync(QueueKind kind, DateTimeOffset now, int max, CancellationToken ct = default);

    /// <summary>
    /// The oldest due entry of <paramref name="kind"/> per recipient list, at most <paramref name="max"/>, most
    /// overdue first: for mail waiting for a script, one message per address, in arrival order per address.
    /// </summary>
    Task<IReadOnlyList<QueuedMessage>> ListDueFirstPerRecipientsAsync(QueueKind kind, DateTimeOffset now, int max, CancellationToken ct = default);

    /// <summary>When the first entry of <paramref name="kind"/> that is not due at <paramref name="now"/> falls due; null when none waits.</summary>
    Task<DateTimeOffset?> NextAttemptAfterAsync(QueueKind kind, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>
    /// How many entries of <paramref name="kind"/> wait and since when. Cheap enough to ask at every metrics
    /// scrape: the count reads the <c>queue_due</c> index, and the oldest is the first row in id order (ids
    /// grow with time), not a scan for the minimum.
    /// </summary>
    Task<QueueDepth> DepthAsync(QueueKind kind, CancellationToken ct = default);

    /// <summary>One queued message, or null when there is none with this id.</summary>
    Task<QueuedMessage?> FindAsync(long id, CancellationToken ct = default);

    /// <summary>The bytes of a queued message, or null when it is gone.</summary>
    Task<byte[]?> ReadContentAsync(long id, CancellationToken ct = default);

    /// <summary>Updates an entry after an attempt, or removes it when no recipient is left.</summary>
    /// <returns>Whether the entry existed.</returns>
    Task<bool> UpdateAsync(QueueUpdate update, CancellationToken ct = default);

    /// <summary>Removes a queued message (and its bytes, unless a message or another entry shares them).</summary>
    /// <returns>Whether it existed.</returns>
    Task<bool> RemoveAsync(long id, CancellationToken ct = default);

    /// <summary>Makes one entry, or all when <paramref name="id"/> is null, due at <paramref name="now"/>.</summary>
    /// <returns>How many entries were made due.</returns>
    Task<int> RetryAsync(long? id, DateTimeOffset now, CancellationToken ct = default);
}
