using System.Runtime.InteropServices;
using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>Deliveries that store copies, queue entries and peer records together.</summary>
public sealed partial class MailStore
{
    private const string InsertQueueSql =
        "INSERT INTO queue (kind, delivery_id, domain, sender, sender_account_id, recipients_json, hops, created, next_attempt, meta, size, data) "
        + "VALUES ($k, $d, $dom, $s, $sa, $r, $h, $c, $n, $meta, $size, $data) RETURNING id";

    private const string UpdateQueueSql =
        "UPDATE queue SET recipients_json = $r, next_attempt = $n, attempts = $at, last_error = $e, delay_notified = $dn WHERE id = $id";

    /// <summary>
    /// Commits a delivery in one durable transaction: the copies into <see cref="DeliveryCommit.Targets"/>,
    /// the queue entries to add, the queue update, and the peer record. With a
    /// <see cref="DeliveryCommit.Record"/> already present, nothing changes and the recorded answer is returned.
    /// </summary>
    /// <exception cref="StoreException">A target account or folder does not exist; nothing was changed.</exception>
    public async Task<CommitResult> CommitAsync(DeliveryCommit commit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var groups = new List<(PreparedContent Content, (long AccountId, string Folder, MessageFlags Flags)[] Targets)>(1 + commit.Extra.Count);
        var total = 0;
        foreach (var (bytes, summary, list) in commit.Extra.Prepend(new ContentCopies(commit.Content, commit.Summary, commit.Targets)))
        {
            var canonical = CanonicalTargets(list);
            if (canonical.Length > 0)
            {
                // Hashing and encoding happen here, on the caller's thread, not on the writer.
                groups.Add((PreparedContent.Create(bytes, summary), canonical));
                total += canonical.Length;
            }
        }

        var received = ToUnixMs(commit.Received);
        var now = ToUnixMs(DateTimeOffset.UtcNow);
        var entries = commit.Enqueue.Select(e => (Entry: e, Data: AsArray(e.Content), Recipients: StringListJson.Write(e.Recipients) ?? "[]")).ToArray();
        var update = commit.QueueUpdate;
        var record = commit.Record;
        return await _writer.EnqueueAsync(
            context =>
            {
                if (record is not null)
                {
                    var existing = context.Command("SELECT result FROM received WHERE peer = $p AND delivery_id = $d")
                        .Bind("$p", record.Peer).Bind("$d", record.DeliveryId).ExecuteScalar() as string;
                    if (existing is not null)
                    {
                        return new CommitResult([], [], existing);
                    }
                }

                var copies = new DeliveredCopy[total];
                var next = 0;
                foreach (var (content, targets) in groups)
                {
                    var contentId = context.InsertContent(content);
                    foreach (var (accountId, folder, flags) in targets)
                    {
                        var modSeq = context.BumpModSeq(accountId)
                            ?? throw new StoreException(StoreError.AccountNotFound, $"Account {accountId} does not exist.");
                        var id = context.AddMessage(accountId, folder, contentId, flags, received, modSeq)
                            ?? throw new StoreException(StoreError.FolderNotFound, $"Account {accountId} has no folder '{folder}'.");
                        copies[next++] = new DeliveredCopy(accountId, folder, id);
                    }
                }

                var queueIds = new long[entries.Length];
                for (var i = 0; i < entries.Length; i++)
                {
                    var (entry, data, recipients) = entries[i];
                    queueIds[i] = context.Command(InsertQueueSql)
                        .Bind("$k", (long)entry.Kind).Bind("$d", entry.DeliveryId).Bind("$dom", entry.Domain)
                        .Bind("$s", entry.Sender).Bind("$sa", entry.SenderAccountId).Bind("$r", recipients)
                        .Bind("$h", (long)entry.Hops).Bind("$c", now).Bind("$n", ToUnixMs(entry.NextAttempt))
                        .Bind("$meta", entry.Meta).Bind("$size", (long)data.Length).Bind("$data", data)
                        .ScalarInt64()!.Value;
                }

                if (update is not null)
                {
                    ApplyQueueUpdate(context, update);
                }

                if (record is not null)
                {
                    context.Command("INSERT INTO received (peer, delivery_id, result, created) VALUES ($p, $d, $r, $c)")
                        .Bind("$p", record.Peer).Bind("$d", record.DeliveryId).Bind("$r", record.Result).Bind("$c", now)
                        .ExecuteNonQuery();
                }

                return new CommitResult(copies, queueIds, null);
            },
            ct).ConfigureAwait(false);
    }

    private static bool ApplyQueueUpdate(WriterContext context, QueueUpdate update)
    {
        if (update.Recipients is null || update.Recipients.Count == 0)
        {
            return context.Command("DELETE FROM queue WHERE id = $id").Bind("$id", update.Id).ExecuteNonQuery() > 0;
        }

        return context.Command(UpdateQueueSql)
            .Bind("$r", StringListJson.Write(update.Recipients)).Bind("$n", ToUnixMs(update.NextAttempt))
            .Bind("$at", (long)update.Attempts).Bind("$e", update.LastError).Bind("$dn", update.DelayNotified ? 1L : 0L)
            .Bind("$id", update.Id).ExecuteNonQuery() > 0;
    }

    private static (long AccountId, string Folder, MessageFlags Flags)[] CanonicalTargets(IReadOnlyList<DeliveryTarget>? targets)
    {
        if (targets is null || targets.Count == 0)
        {
            return [];
        }

        var result = new (long, string, MessageFlags)[targets.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var target = targets[i];
            if (!FolderNames.TryCanonicalize(target.Folder, out var canonical))
            {
                throw new StoreException(StoreError.FolderInvalidName, $"Invalid folder name '{target.Folder}'.");
            }

            result[i] = (target.AccountId, canonical, target.Flags);
        }

        return result;
    }

    private static byte[] AsArray(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
}
