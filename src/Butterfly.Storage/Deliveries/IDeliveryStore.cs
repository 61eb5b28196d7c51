namespace Butterfly.Storage;

/// <summary>
/// The delivery commit: copies, new queue entries, a queue update and a peer or submission record in one transaction.
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface IDeliveryStore
{
    /// <summary>
    /// Commits a delivery in one durable transaction: the copies, the queue entries to add, the queue
    /// update and the peer record. Group-committed with other writes; the task completes when the
    /// transaction is durable. With a <see cref="DeliveryCommit.Record"/> already present, nothing
    /// changes and the recorded answer is returned.
    /// </summary>
    /// <returns>What was stored; or <see cref="StoreError.AccountNotFound"/>, <see cref="StoreError.FolderNotFound"/>
    /// (a target is missing: nothing was changed), <see cref="StoreError.StorageFull"/> (new mail and too little room).</returns>
    Task<StoreResult<CommitResult>> CommitAsync(DeliveryCommit commit, CancellationToken ct = default);
}
