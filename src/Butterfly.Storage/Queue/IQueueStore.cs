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
    /// Claims up to <paramref name="max"/> entries of <paramref name="kind"/> due at <paramref name="now"/>, most
    /// overdue first, for this store to work: what a daemon's worker takes instead of <see cref="ListDueAsync"/>.
    /// An entry claimed by another store (another daemon on the same database) is not returned until that claim
    /// ends: <see cref="UpdateAsync"/> or <see cref="RemoveAsync"/> (or a delivery commit's queue update) ends
    /// it, and so does its expiry when the daemon that made it died. Entries this store claimed already are
    /// returned again (the worker knows which are under way). For <see cref="QueueKind.Script"/> entries, an
    /// entry is not returned while an earlier entry with the same recipients (the same address) is claimed by
    /// another store: each address's mail is worked in arrival order, by one daemon at a time. On SQLite (one
    /// daemon per data folder) this is <see cref="ListDueAsync"/>.
    /// </summary>
    Task<IReadOnlyList<QueuedMessage>> ClaimDueAsync(QueueKind kind, DateTimeOffset now, int max, CancellationToken ct = default);

    /// <summary>
    /// Ends this store's claims on entries it took with <see cref="ClaimDueAsync"/> but will not work now (its
    /// worker had no free slot), so another daemon may take them at once. Entries claimed by another store are
    /// left alone. Nothing to do on SQLite.
    /// </summary>
    Task ReleaseAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default);

    /// <summary>
    /// The oldest due entry of <paramref name="kind"/> per recipient list, at most <paramref name="max"/>, most
    /// overdue first: for mail waiting for a script, one message per address, in arrival order per address.
    /// </summary>
    Task<IReadOnlyList<QueuedMessage>> ListDueFirstPerRecipientsAsync(QueueKind kind, DateTimeOffset now, int max, CancellationToken ct = default);

    /// <summary>
    /// When the first entry of <paramref name="kind"/> that is not due at <paramref name="now"/> falls due, or a due
    /// entry claimed by another store becomes free when its claim runs out (<see cref="ClaimDueAsync"/>), whichever
    /// comes first; null when none waits.
    /// </summary>
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
