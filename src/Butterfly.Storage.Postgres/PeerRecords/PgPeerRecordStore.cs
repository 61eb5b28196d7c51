using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;

namespace Butterfly.Storage.Postgres;

/// <summary>The delivery ids received from peer servers on PostgreSQL; written by the delivery commit that stores the mail.</summary>
public sealed class PgPeerRecordStore : IPeerRecordStore
{
    private readonly PgDatabase _db;

    internal PgPeerRecordStore(PgDatabase db) => _db = db;

    /// <inheritdoc/>
    public async Task<string?> FindAsync(string peer, string deliveryId, CancellationToken ct = default)
        => await _db.ReadAsync(read => read.FindPeerRecordAsync(new ReceivedRecord(peer, deliveryId, string.Empty)), ct).ConfigureAwait(false);

    /// <inheritdoc/>
    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken ct = default)
        => _db.WriteAsync(write => write.ExecuteAsync("DELETE FROM received WHERE created < @c", ("c", UnixTime.ToMs(olderThan))), ct);
}
