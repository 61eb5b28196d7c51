namespace Butterfly.Storage;

/// <summary>
/// Everything one pass of a delivery changes, committed in one transaction: copies into folders,
/// queue entries added, a queue entry updated or removed, and the record of a peer's delivery id.
/// </summary>
/// <param name="Received">The internal date of every copy.</param>
public sealed record DeliveryCommit(DateTimeOffset Received)
{
    /// <summary>The contents to store and where their copies go, each content once however many copies.</summary>
    public IReadOnlyList<ContentCopies> Copies { get; init; } = [];

    /// <summary>Queue entries to add. Bytes equal to those of a copy or of another entry are stored once.</summary>
    public IReadOnlyList<QueueEntry> Enqueue { get; init; } = [];

    /// <summary>A queue entry to update or remove in the same transaction.</summary>
    public QueueUpdate? QueueUpdate { get; init; }

    /// <summary>
    /// The peer delivery this commit completes. When the same (peer, id) was recorded already, nothing
    /// is changed and <see cref="CommitResult.ExistingResult"/> carries the recorded answer.
    /// </summary>
    public ReceivedRecord? Record { get; init; }

    /// <summary>
    /// The client submission this commit completes, recorded with the copy its
    /// <see cref="SubmissionRecord.CopyIndex"/> names. When the account's id was recorded already,
    /// nothing is changed and <see cref="CommitResult.ExistingSubmission"/> carries the recorded answer.
    /// </summary>
    public SubmissionRecord? Submission { get; init; }

    /// <summary>
    /// The script run this commit completes: its log row, new state, consumed message and schedule,
    /// in the same transaction as the copies and queue entries of its effects.
    /// </summary>
    public ScriptRunRecord? ScriptRun { get; init; }
}
