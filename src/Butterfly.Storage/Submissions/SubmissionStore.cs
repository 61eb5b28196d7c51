using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>
/// Client submission ids and the answers they got, so that a client retrying a <c>send</c> or a
/// <c>message.store</c> after a lost connection gets the first answer instead of a second copy
/// (protocol/client.md, "Submission ids"). Records are written by the commit that stores the mail
/// (<see cref="DeliveryCommit.Submission"/>, <see cref="MessageStore.AppendAsync(long, string, ReadOnlyMemory{byte}, ContentSummary, MessageFlags, DateTimeOffset, SubmissionRecord?, CancellationToken)"/>).
/// </summary>
public sealed class SubmissionStore : ISubmissionStore
{
    private readonly StoreCore _core;

    internal SubmissionStore(StoreCore core) => _core = core;

    /// <summary>The answer recorded for an account's submission id, or null when none was committed (or it was pruned).</summary>
    public async Task<SubmissionAnswer?> FindAsync(long accountId, string submissionId, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        using var reader = lease.Command(SubmissionRows.FindSql).Bind("$a", accountId).Bind("$s", submissionId).ExecuteReader();
        return SubmissionRows.Read(reader, accountId);
    }

    /// <summary>Forgets records older than <paramref name="olderThan"/> (the retention window).</summary>
    /// <returns>How many were removed.</returns>
    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken ct = default)
        => _core.Writer.EnqueueAsync(
            context => context.Command("DELETE FROM submissions WHERE created < $c").Bind("$c", UnixTime.ToMs(olderThan)).ExecuteNonQuery(),
            ct);
}
