namespace Butterfly.Storage;

/// <summary>
/// The delivery ids received from peer servers, for exactly-once peer delivery.
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface IPeerRecordStore
{
    /// <summary>The answer recorded for a peer's delivery id, or null when it was never committed.</summary>
    Task<string?> FindAsync(string peer, string deliveryId, CancellationToken ct = default);

    /// <summary>Forgets records older than <paramref name="olderThan"/> (kept longer than any peer retries).</summary>
    /// <returns>How many were removed.</returns>
    Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken ct = default);
}
