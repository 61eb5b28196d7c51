using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;

namespace Butterfly.Storage.Postgres;

/// <summary>Client submission ids and their answers on PostgreSQL; written by the commit that stores the mail.</summary>
public sealed class PgSubmissionStore : ISubmissionStore
{
    private readonly PgDatabase _db;

    internal PgSubmissionStore(PgDatabase db) => _db = db;

    /// <inheritdoc/>
    public async Task<SubmissionAnswer?> FindAsync(long accountId, string submissionId, CancellationToken ct = default)
        => await _db.ReadAsync(read => read.FindSubmissionAsync(new SubmissionRecord(accountId, submissionId, string.Empty)), ct).ConfigureAwait(false);

    /// <inheritdoc/>
    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken ct = default)
        => _db.WriteAsync(write => write.ExecuteAsync("DELETE FROM submissions WHERE created < @c", ("c", UnixTime.ToMs(olderThan))), ct);
}
