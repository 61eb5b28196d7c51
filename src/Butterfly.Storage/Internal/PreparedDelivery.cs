namespace Butterfly.Storage.Internal;

/// <summary>
/// A <see cref="DeliveryCommit"/> checked and prepared before its transaction, the same for every database: the
/// target folders canonicalized, each distinct byte sequence hashed and encoded once (a copy and the queue entries
/// of a send to several domains share it; the same bytes keep the header fields they were first stored with, as in
/// the database), and the submission's copy index checked against the copies stored.
/// </summary>
internal sealed class PreparedDelivery
{
    private PreparedDelivery(
        List<(PreparedContent Content, (long AccountId, string Folder, MessageFlags Flags)[] Targets)> groups,
        (QueueEntry Entry, PreparedContent Content)[] entries,
        int total,
        long incomingBytes)
    {
        Groups = groups;
        Entries = entries;
        Total = total;
        IncomingBytes = incomingBytes;
    }

    /// <summary>Each stored content with its targets (account, canonical folder, flags), in the order of the copies.</summary>
    public List<(PreparedContent Content, (long AccountId, string Folder, MessageFlags Flags)[] Targets)> Groups { get; }

    /// <summary>The queue entries to add, with their prepared content.</summary>
    public (QueueEntry Entry, PreparedContent Content)[] Entries { get; }

    /// <summary>How many copies the commit stores.</summary>
    public int Total { get; }

    /// <summary>The bytes of new mail the commit brings (each distinct content once).</summary>
    public long IncomingBytes { get; }

    /// <summary>Prepares <paramref name="commit"/>; a target folder that cannot exist is <see cref="StoreError.FolderNotFound"/>.</summary>
    /// <exception cref="ArgumentException">The submission names a copy the commit does not store.</exception>
    public static StoreResult<PreparedDelivery> Prepare(DeliveryCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
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

        if (commit.Submission is { } submission && (submission.CopyIndex < 0 || submission.CopyIndex >= total))
        {
            throw new ArgumentException($"The submission names copy {submission.CopyIndex}; the commit stores {total}.", nameof(commit));
        }

        return StoreResult<PreparedDelivery>.Success(new PreparedDelivery(groups, entries, total, prepared.Keys.Sum(bytes => (long)bytes.Length)));
    }
}
