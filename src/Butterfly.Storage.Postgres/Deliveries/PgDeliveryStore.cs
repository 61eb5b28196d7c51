using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// The delivery commit on PostgreSQL: copies, new queue entries, a queue update, a peer or submission
/// record and a script run in one transaction, committed (synchronous_commit on) before the task completes.
/// </summary>
public sealed class PgDeliveryStore : IDeliveryStore
{
    private readonly PgDatabase _db;

    internal PgDeliveryStore(PgDatabase db) => _db = db;

    /// <inheritdoc/>
    public async Task<StoreResult<CommitResult>> CommitAsync(DeliveryCommit commit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(commit);

        // Hashing and encoding before the transaction; the same bytes are prepared once.
        var preparing = PreparedDelivery.Prepare(commit);
        if (preparing.Value is not { } delivery)
        {
            return preparing.Failure;
        }

        var (groups, entries, total) = (delivery.Groups, delivery.Entries, delivery.Total);
        var received = UnixTime.ToMs(commit.Received);
        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        var submission = commit.Submission;
        // The target accounts, in the order of the copies (quota warnings come in that order).
        var accounts = groups.SelectMany(g => g.Targets).Select(t => t.AccountId).Distinct().ToArray();
        return await _db.WriteAsync<StoreResult<CommitResult>>(
            async write =>
            {
                // Every target account locked in id order before anything is read or changed: two commits to the
                // same accounts never deadlock, each account's copies get their ids in commit order, and the
                // record checks below see any commit of the same id that finished while this one waited.
                long? missingAccount = null;
                foreach (var accountId in accounts.Order())
                {
                    if (!await write.LockAccountAsync(accountId).ConfigureAwait(false))
                    {
                        missingAccount ??= accountId;
                    }
                }

                if (commit.Record is { } record && await write.FindPeerRecordAsync(record).ConfigureAwait(false) is { } existing)
                {
                    return StoreResult<CommitResult>.Success(new CommitResult([], [], existing));
                }

                if (submission is not null && await write.FindSubmissionAsync(submission).ConfigureAwait(false) is { } answer)
                {
                    return StoreResult<CommitResult>.Success(new CommitResult([], [], null) { ExistingSubmission = answer });
                }

                if (missingAccount is { } missing)
                {
                    return Failures.AccountNotFound(missing);
                }

                var contentIds = new Dictionary<PreparedContent, long>(ReferenceEqualityComparer.Instance);
                async Task<long> ContentIdAsync(PreparedContent content)
                {
                    if (!contentIds.TryGetValue(content, out var id))
                    {
                        id = await write.InsertContentAsync(content).ConfigureAwait(false);
                        contentIds.Add(content, id);
                    }

                    return id;
                }

                var before = await QuotaBeforeAsync(write, accounts).ConfigureAwait(false);
                var copies = new DeliveredCopy[total];
                var next = 0;
                foreach (var (content, targets) in groups)
                {
                    var contentId = await ContentIdAsync(content).ConfigureAwait(false);
                    foreach (var (accountId, folder, flags) in targets)
                    {
                        var modSeq = (await write.BumpModSeqAsync(accountId).ConfigureAwait(false))!.Value;
                        if (await write.AddMessageAsync(accountId, folder, contentId, flags, received, modSeq).ConfigureAwait(false) is not { } id)
                        {
                            return Failures.FolderNotFound(folder);
                        }

                        if (content.Summary is { } summary)
                        {
                            await write.ThreadAsync(accountId, contentId, summary, received, modSeq).ConfigureAwait(false);
                        }

                        copies[next++] = new DeliveredCopy(accountId, folder, id);
                    }
                }

                var queueIds = new long[entries.Length];
                for (var i = 0; i < entries.Length; i++)
                {
                    queueIds[i] = await write.InsertQueueAsync(entries[i].Entry, await ContentIdAsync(entries[i].Content).ConfigureAwait(false), now).ConfigureAwait(false);
                }

                if (commit.QueueUpdate is { } update)
                {
                    await write.UpdateQueueAsync(update).ConfigureAwait(false);
                }

                if (commit.Record is { } newRecord)
                {
                    await write.InsertPeerRecordAsync(newRecord, now).ConfigureAwait(false);
                }

                if (submission is not null)
                {
                    await write.InsertSubmissionAsync(submission, copies[submission.CopyIndex], now).ConfigureAwait(false);
                }

                if (commit.ScriptRun is { } scriptRun && await write.ApplyScriptRunAsync(scriptRun, now).ConfigureAwait(false) is { } conflict)
                {
                    return conflict;
                }

                return StoreResult<CommitResult>.Success(new CommitResult(copies, queueIds, null) { QuotaWarnings = await QuotaCrossedAsync(write, before).ConfigureAwait(false) });
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>The state of every target account that has a quota and is below 90% of it, before the copies are added.</summary>
    private static async Task<List<QuotaState>?> QuotaBeforeAsync(PgWrite write, long[] accounts)
    {
        List<QuotaState>? below = null;
        foreach (var accountId in accounts)
        {
            if (await write.ReadQuotaAsync(accountId).ConfigureAwait(false) is { Limit: not null, NearlyFull: false } state)
            {
                (below ??= []).Add(state);
            }
        }

        return below;
    }

    /// <summary>Those of <paramref name="before"/> that are at or above 90% now.</summary>
    private static async Task<IReadOnlyList<QuotaState>> QuotaCrossedAsync(PgWrite write, List<QuotaState>? before)
    {
        List<QuotaState>? crossed = null;
        foreach (var state in before ?? [])
        {
            if (await write.ReadQuotaAsync(state.AccountId).ConfigureAwait(false) is { NearlyFull: true } after)
            {
                (crossed ??= []).Add(after);
            }
        }

        return crossed ?? (IReadOnlyList<QuotaState>)[];
    }
}
