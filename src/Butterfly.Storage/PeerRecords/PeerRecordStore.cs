using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>
/// The delivery ids received from peer servers and the answer each got, so that a repeated delivery
/// is answered again without a second copy (protocol/peer.md, "Exactly once"). Records are written by
/// the delivery commit that stores the mail (<see cref="DeliveryCommit.Record"/>).
/// </summary>
public sealed class PeerRecordStore : IPeerRecordStore
{
    private readonly StoreCore _core;

    internal PeerRecordStore(StoreCore core) => _core = core;

    /// <summary>The answer recorded for a peer's delivery id, or null when it was never committed.</summary>
    public async Task<string?> FindAsync(string peer, string deliveryId, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        return lease.Command("SELECT result FROM received WHERE peer = $p AND delivery_id = $d")
            .Bind("$p", peer).Bind("$d", deliveryId).ExecuteScalar() as string;
    }

    /// <summary>Forgets records older than <paramref name="olderThan"/> (kept longer than any peer retries).</summary>
    /// <returns>How many were removed.</returns>
    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken ct = default)
        => _core.Writer.EnqueueAsync(
            context => context.Command("DELETE FROM received WHERE created < $c").Bind("$c", UnixTime.ToMs(olderThan)).ExecuteNonQuery(),
            ct);
}
