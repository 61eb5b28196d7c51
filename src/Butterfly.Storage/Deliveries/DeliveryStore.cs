using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>
/// The delivery commit: the one durable transaction in which a delivery stores its copies, adds and
/// updates queue entries and records a peer's delivery id (DESIGN.md, "One delivery path").
/// </summary>
public sealed class DeliveryStore
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
    /// (a target is missing: nothing was changed).</returns>
    public async Task<StoreResult<CommitResult>> CommitAsync(DeliveryCommit commit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(commit);

        // Hashing and encoding happen here, on the caller's thread, not on the writer; the same bytes
        // (a copy and the queue entries of a send to several domains) are prepared once.
        var prepared = new Dictionary<ReadOnlyMemory<byte>, PreparedContent>();
        var groups = new List<(PreparedContent Content, (long AccountId, string Folder, MessageFlags Flags)[] Targets)>(commit.Copies.Count);
        var total = 0;
        foreach (var (bytes, summary, targets) in commit.Copies)
        {
            if (targets is not { Count: > 0 })
            {
                continue;
            }

            var canonical = new (long, string, MessageFlags)[targets.Count];
            for (var i = 0; i < canonical.Length; i++)
            {
                if (!FolderNames.TryCanonicalize(targets[i].Folder, out var folder, out _))
                {
                    return Failures.FolderNotFound(targets[i].Folder);
                }

                canonical[i] = (targets[i].AccountId, folder, targets[i].Flags);
            }

            // The same bytes keep the header fields they were first stored with, as in the database.
            if (!prepared.TryGetValue(bytes, out var content))
            {
                content = PreparedContent.Create(bytes, summary);
                prepared.Add(bytes, content);
            }

            groups.Add((content, canonical));
            total += canonical.Length;
        }

        var entries = new (QueueEntry Entry, PreparedContent Content)[commit.Enqueue.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = commit.Enqueue[i];
            if (!prepared.TryGetValue(entry.Content, out var content))
            {
                content = PreparedContent.CreateUnsummarized(entry.Content);
                prepared.Add(entry.Content, content);
            }

            entries[i] = (entry, content);
        }

        var received = UnixTime.ToMs(commit.Received);
        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        var update = commit.QueueUpdate;
        var record = commit.Record;
        return await _core.Writer.EnqueueAsync<StoreResult<CommitResult>>(
            context =>
            {
                if (record is not null
                    && context.Command(FindRecordSql).Bind("$p", record.Peer).Bind("$d", record.DeliveryId).ExecuteScalar() is string existing)
                {
                    return StoreResult<CommitResult>.Success(new CommitResult([], [], existing));
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

                return StoreResult<CommitResult>.Success(new CommitResult(copies, queueIds, null));
            },
            ct).ConfigureAwait(false);
    }
}
