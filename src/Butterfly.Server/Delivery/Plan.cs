using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;
using Butterfly.Storage;

namespace Butterfly.Server.Delivery;

/// <summary>What one pass through the pipeline will commit, gathered before the one transaction.</summary>
internal sealed class Plan
{
    private readonly List<int> _copyOffsets = [];
    private int _copyCount;

    public Plan(DateTimeOffset now) => Now = now;

    /// <summary>The internal date of the copies.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Contents and where their copies go.</summary>
    public List<ContentCopies> Copies { get; } = [];

    /// <summary>Queue entries: outbound, held and injected.</summary>
    public List<QueueEntry> Enqueue { get; } = [];

    /// <summary>Inbound mail held for a filter (enqueued, or folded into the entry being retried).</summary>
    public List<QueueEntry> Holds { get; } = [];

    /// <summary>Per-recipient results, in order.</summary>
    public List<RecipientResult> Results { get; } = [];

    /// <summary>Folders (other than the defaults) that copies go into, to be created when missing.</summary>
    public HashSet<(long AccountId, string Folder)> FoldersToEnsure { get; } = [];

    /// <summary>Set when the whole message is refused.</summary>
    public (ErrorCode Error, string Reason, string? WireCode)? Refusal { get; set; }

    /// <summary>Recipients held for a filter.</summary>
    public int HeldCount { get; set; }

    /// <summary>Adds a content with its copies.</summary>
    /// <returns>The group's index, for <see cref="CopyIndex"/>.</returns>
    public int AddCopies(ReadOnlyMemory<byte> content, ContentSummary summary, IReadOnlyList<DeliveryTarget> targets)
    {
        Copies.Add(new ContentCopies(content, summary, targets));
        _copyOffsets.Add(_copyCount);
        _copyCount += targets.Count;
        return Copies.Count - 1;
    }

    /// <summary>Where the first copy of group <paramref name="group"/> lands in the commit's result.</summary>
    public int CopyIndex(int group) => _copyOffsets[group];
}
