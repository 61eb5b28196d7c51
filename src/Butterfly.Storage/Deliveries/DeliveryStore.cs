using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>
/// The delivery commit: the one durable transaction in which a delivery stores its copies, adds and
/// updates queue entries and records a peer's delivery id or a client's submission id (DESIGN.md, "One delivery path").
/// </summary>
public sealed class DeliveryStore : IDeliveryStore
{
    private const string FindRecordSql = "SELECT result FROM received WHERE peer = $p AND delivery_id = $d";
    private const string InsertRecordSql = "INSERT INTO received (peer, delivery_id, result, created) VALUES ($p, $d, $r, $c)";

    private readonly StoreCore _core;

    internal DeliveryStore(StoreCore core) => _core = core;

    /// <summary>
    /// Commits a delivery in one durable transaction: the copies, the queue entries to add, the queue
    /// update and the peer record. Group-committed with other writes; the task completes when the
    /// transaction is durable. With a <see cref="DeliveryCommit.Record"/> already present, nothing
    /// changes and the recorded answer is returned.
    /// </summary>
    /// <returns>What was stored; or <see cref="StoreError.AccountNotFound"/>, <see cref="StoreError.FolderNotFound"/>
    /// (a target is missing: nothing was changed), <see cref="StoreError.StorageFull"/> (new mail and too little room).</returns>
    public async Task<StoreResult<CommitResult>> CommitAsync(DeliveryCommit commit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(commit);

        // Hashing and encoding happen here, on the caller's thread, not on the writer.
        var preparing = PreparedDelivery.Prepare(commit);
        if (preparing.Value is not { } delivery)
        {
            return preparing.Failure;
        }

        var (groups, entries, total) = (delivery.Groups, delivery.Entries, delivery.Total);

        // New mail waits for room; a commit that only updates the queue or records an answer does not.
        if (delivery.IncomingBytes > 0 && _core.Space.RefuseNewMail(delivery.IncomingBytes) is { } full)
        {
            return full;
        }

        var received = UnixTime.ToMs(commit.Received);
        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        var update = commit.QueueUpdate;
        var record = commit.Record;
        var submission = commit.Submission;
        var scriptRun = commit.ScriptRun;
        if (groups.Count > 0)
        {
            // New mail waits while the search index is too far behind (SearchBacklog.MaxBytes).
            await _core.Backlog.WaitForRoomAsync(ct).ConfigureAwait(false);
        }

        var defaultQuota = _core.Options.DefaultQuotaBytes;
        return await _core.Writer.EnqueueAsync<StoreResult<CommitResult>>(
            context =>
            {
                if (record is not null
                    && context.Command(FindRecordSql).Bind("$p", record.Peer).Bind("$d", record.DeliveryId).ExecuteScalar() is string existing)
                {
                    return StoreResult<CommitResult>.Success(new CommitResult([], [], existing));
                }

                if (submission is not null && SubmissionRows.Find(context, submission) is { } answer)
                {
                    return StoreResult<CommitResult>.Success(new CommitResult([], [], null) { ExistingSubmission = answer });
                }

                var contentIds = new Dictionary<PreparedContent, long>(ReferenceEqualityComparer.Instance);
                long ContentId(PreparedContent content)
                {
                    if (!contentIds.TryGetValue(content, out var id))
                    {
                        id = context.Contents.Insert(content);
                        contentIds.Add(content, id);
                    }

                    return id;
                }

                var rows = context.Mailboxes;
                var before = QuotaBefore(context, groups, defaultQuota);
                var copies = new DeliveredCopy[total];
                var next = 0;
                foreach (var (content, targets) in groups)
                {
                    var contentId = ContentId(content);
                    foreach (var (accountId, folder, flags) in targets)
                    {
                        if (rows.BumpModSeq(accountId) is not { } modSeq)
                        {
                            return Failures.AccountNotFound(accountId);
                        }

                        if (rows.AddMessage(accountId, folder, contentId, flags, received, modSeq) is not { } id)
                        {
                            return Failures.FolderNotFound(folder);
                        }

                        if (content.Summary is { } summary)
                        {
                            context.Search.Thread(accountId, contentId, summary, received, modSeq);
                        }

                        copies[next++] = new DeliveredCopy(accountId, folder, id);
                    }
                }

                var queueIds = new long[entries.Length];
                for (var i = 0; i < entries.Length; i++)
                {
                    queueIds[i] = context.Queue.Insert(entries[i].Entry, ContentId(entries[i].Content), now);
                }

                if (update is not null)
                {
                    context.Queue.Update(update);
                }

                if (record is not null)
                {
                    context.Command(InsertRecordSql).Bind("$p", record.Peer).Bind("$d", record.DeliveryId).Bind("$r", record.Result).Bind("$c", now)
                        .ExecuteNonQuery();
                }

                if (submission is not null)
                {
                    SubmissionRows.Insert(context, submission, copies[submission.CopyIndex], now);
                }

                if (scriptRun is not null && ScriptRows.Apply(context, scriptRun, now) is { } conflict)
                {
                    return conflict;
                }

                return StoreResult<CommitResult>.Success(new CommitResult(copies, queueIds, null) { QuotaWarnings = QuotaCrossed(context, before, defaultQuota) });
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>The state of every target account that has a quota and is below 90% of it, before the copies are added.</summary>
    private static List<QuotaState>? QuotaBefore(
        WriterContext context, List<(PreparedContent Content, (long AccountId, string Folder, MessageFlags Flags)[] Targets)> groups, long? defaultQuota)
    {
        List<QuotaState>? below = null;
        var seen = new HashSet<long>();
        foreach (var (_, targets) in groups)
        {
            foreach (var (accountId, _, _) in targets)
            {
                if (seen.Add(accountId) && ReadQuota(context, accountId, defaultQuota) is { Limit: not null, NearlyFull: false } state)
                {
                    (below ??= []).Add(state);
                }
            }
        }

        return below;
    }

    /// <summary>Those of <paramref name="before"/> that are at or above 90% now.</summary>
    private static IReadOnlyList<QuotaState> QuotaCrossed(WriterContext context, List<QuotaState>? before, long? defaultQuota)
    {
        if (before is null)
        {
            return [];
        }

        List<QuotaState>? crossed = null;
        foreach (var state in before)
        {
            if (ReadQuota(context, state.AccountId, defaultQuota) is { NearlyFull: true } after)
            {
                (crossed ??= []).Add(after);
            }
        }

        return crossed ?? (IReadOnlyList<QuotaState>)[];
    }

    private static QuotaState? ReadQuota(WriterContext context, long accountId, long? defaultQuota)
    {
        using var reader = context.Command($"SELECT {QuotaStore.StateColumns} FROM accounts WHERE id = $a").Bind("$a", accountId).ExecuteReader();
        return reader.Read() ? QuotaStore.Read(reader, defaultQuota) : null;
    }
}
