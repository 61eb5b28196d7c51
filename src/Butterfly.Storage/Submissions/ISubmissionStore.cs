namespace Butterfly.Storage;

/// <summary>
/// Client submission ids and the answer each got, for exactly-once retries of send and message.store.
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface ISubmissionStore
{
    /// <summary>The answer recorded for an account's submission id, or null when none was committed (or it was pruned).</summary>
    Task<SubmissionAnswer?> FindAsync(long accountId, string submissionId, CancellationToken ct = default);

    /// <summary>Forgets records older than <paramref name="olderThan"/> (the retention window).</summary>
    /// <returns>How many were removed.</returns>
    Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken ct = default);
}
