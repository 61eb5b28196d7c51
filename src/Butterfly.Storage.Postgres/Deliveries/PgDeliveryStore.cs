using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// The delivery commit on PostgreSQL: copies, new queue entries, a queue update, a peer or submission
/// record and a script run in one transaction, committed (synchronous_commit on) before the task completes.
/// </summary>
public sealed class PgDeliveryStore : IDeliveryStore
{
    // The order contents are stored in by every commit (their SHA-256s, byte by byte), so that two never deadlock.
    private static readonly Comparer<byte[]> _bytewise = Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b));

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
                // First the contents (each once, in SHA-256 order), then every target account locked in id order, then
                // the record check, in one round trip. Locks are always taken in that order (contents, then accounts), so
                // two commits never deadlock; each account's copies get their ids in commit order, and the record check
                // sees any commit of the same id that finished while this one waited. The contents come before the
                // accounts' locks so that building their search vectors (the costliest statement) does not hold them.
                var stored = groups.Select(g => g.Content).Concat(entries.Select(e => e.Content))
                    .Distinct(ReferenceEqualityComparer.Instance).Cast<PreparedContent>().OrderBy(c => c.Sha256, _bytewise).ToList();
                var first = new List<NpgsqlBatchCommand>();
                foreach (var content in stored)
                {
                    first.AddRange(write.InsertContentCommands(content));
                }

                first.Add(PgWrite.LockAccountsCommand(accounts));
                if (commit.Record is { } record)
                {
                    first.Add(PgWrite.FindPeerRecordCommand(record));
                }
                else if (submission is not null)
                {
                    first.Add(PgWrite.FindSubmissionCommand(submission));
                }

                var contentIds = new Dictionary<PreparedContent, long>(ReferenceEqualityComparer.Instance);
                var (locked, existing, answer) = await write.RunBatchAsync(
                    first,
                    async reader =>
                    {
                        foreach (var content in stored)
                        {
                            if (contentIds.Count > 0)
                            {
                                await reader.NextResultAsync().ConfigureAwait(false);
                            }

                            contentIds[content] = await PgWrite.ReadContentIdAsync(reader).ConfigureAwait(false);
                        }

                        if (stored.Count > 0)
                        {
                            await reader.NextResultAsync().ConfigureAwait(false);
                        }

                        var states = new Dictionary<long, QuotaState>();
                        while (await reader.ReadAsync().ConfigureAwait(false))
                        {
                            var state = write.QuotaRow(reader);
                            states[state.AccountId] = state;
                        }

                        if (commit.Record is null && submission is null
                            || !await reader.NextResultAsync().ConfigureAwait(false) || !await reader.ReadAsync().ConfigureAwait(false))
                        {
                            return (states, (string?)null, (SubmissionAnswer?)null);
                        }

                        return commit.Record is not null
                            ? (states, reader.GetString(0), null)
                            : (states, null, new SubmissionAnswer(reader.GetString(0), new DeliveredCopy(submission!.AccountId, reader.GetString(1), reader.GetInt64(2))));
                    }).ConfigureAwait(false);
                if (existing is not null || answer is not null)
                {
                    // A repeat of a delivery already stored: the contents stored above for it go again (those that
                    // nothing else refers to), and the answer is the first delivery's.
                    await write.DeleteUnreferencedAsync(contentIds.Values).ConfigureAwait(false);
                }

                if (existing is not null)
                {
                    return StoreResult<CommitResult>.Success(new CommitResult([], [], existing));
                }

                if (answer is not null)
                {
                    return StoreResult<CommitResult>.Success(new CommitResult([], [], null) { ExistingSubmission = answer });
                }

                foreach (var accountId in accounts.Order())
                {
                    if (!locked.ContainsKey(accountId))
                    {
                        return Failures.AccountNotFound(accountId);
                    }
                }

                async Task<long> ContentIdAsync(PreparedContent content)
                {
                    if (!contentIds.TryGetValue(content, out var id))
                    {
                        id = await write.InsertContentAsync(content).ConfigureAwait(false);
                        contentIds.Add(content, id);
                    }

                    return id;
                }

                // The state of every target account that has a quota and is below 90% of it, before the copies are added.
                var before = accounts.Select(a => locked[a]).Where(q => q is { Limit: not null, NearlyFull: false }).ToList();

                // The copies in one round trip: each one statement that bumps its account's modseq, adds the row and threads it.
                var batch = new List<NpgsqlBatchCommand>(total);
                var targets = new List<(long AccountId, string Folder)>(total);
                foreach (var (content, group) in groups)
                {
                    foreach (var (accountId, folder, flags) in group)
                    {
                        targets.Add((accountId, folder));
                        batch.Add(PgWrite.AddCopyCommand(accountId, folder, contentIds[content], flags, received, content.Summary));
                    }
                }

                var copies = new DeliveredCopy[total];
                var missingFolder = batch.Count == 0 ? null : await write.RunBatchAsync(
                    batch,
                    async reader =>
                    {
                        for (var i = 0; i < targets.Count; i++)
                        {
                            if (i > 0)
                            {
                                await reader.NextResultAsync().ConfigureAwait(false);
                            }

                            if (await write.ReadCopyAsync(reader, targets[i].AccountId).ConfigureAwait(false) is not { } id)
                            {
                                return targets[i].Folder;
                            }

                            copies[i] = new DeliveredCopy(targets[i].AccountId, targets[i].Folder, id);
                        }

                        return null;
                    }).ConfigureAwait(false);
                if (missingFolder is not null)
                {
                    return Failures.FolderNotFound(missingFolder);
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

                return StoreResult<CommitResult>.Success(new CommitResult(copies, queueIds, null) { QuotaWarnings = await QuotaCrossedAsync(write, before, accounts).ConfigureAwait(false) });
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>Those of <paramref name="before"/> that are at or above 90% now, in the order of <paramref name="accounts"/>; one statement.</summary>
    private static async Task<IReadOnlyList<QuotaState>> QuotaCrossedAsync(PgWrite write, List<QuotaState> before, long[] accounts)
    {
        if (before.Count == 0)
        {
            return [];
        }

        var after = await write.RunBatchAsync(
            [PgWrite.ReadQuotasCommand(before.Select(q => q.AccountId))],
            async reader =>
            {
                var states = new Dictionary<long, QuotaState>();
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    var state = write.QuotaRow(reader);
                    states[state.AccountId] = state;
                }

                return states;
            }).ConfigureAwait(false);
        return [.. accounts.Where(a => after.TryGetValue(a, out var state) && state.NearlyFull).Select(a => after[a])];
    }
}
