namespace Butterfly.Storage;

/// <summary>
/// Everything one delivery changes, committed in one transaction: copies into folders, queue entries
/// added, a queue entry updated, and the record of a peer's delivery id.
/// </summary>
/// <param name="Content">The bytes stored into <paramref name="Targets"/> (once however many).</param>
/// <param name="Summary">Header fields of <paramref name="Content"/>.</param>
/// <param name="Targets">Where copies go; may be empty.</param>
/// <param name="Received">The internal date of every copy.</param>
public sealed record DeliveryCommit(
    ReadOnlyMemory<byte> Content,
    ContentSummary Summary,
    IReadOnlyList<DeliveryTarget> Targets,
    DateTimeOffset Received)
{
    /// <summary>Further contents stored in the same transaction; their copies follow the main ones in the result.</summary>
    public IReadOnlyList<ContentCopies> Extra { get; init; } = [];

    /// <summary>Queue entries to add.</summary>
    public IReadOnlyList<QueueEntry> Enqueue { get; init; } = [];

    /// <summary>A queue entry to update or remove in the same transaction.</summary>
    public QueueUpdate? QueueUpdate { get; init; }

    /// <summary>
    /// The peer delivery this commit completes. When the same (peer, id) was recorded already, nothing
    /// is changed and <see cref="CommitResult.ExistingResult"/> carries the recorded answer.
    /// </summary>
    public ReceivedRecord? Record { get; init; }
}
