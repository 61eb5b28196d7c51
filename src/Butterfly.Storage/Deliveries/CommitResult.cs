namespace Butterfly.Storage;

/// <summary>What a <see cref="DeliveryCommit"/> did.</summary>
/// <param name="Copies">The copies stored, in the order of the contents and their targets.</param>
/// <param name="QueueIds">The ids of the queue entries added, in order.</param>
/// <param name="ExistingResult">For a repeated peer delivery: the answer recorded the first time (and nothing was done).</param>
public sealed record CommitResult(IReadOnlyList<DeliveredCopy> Copies, IReadOnlyList<long> QueueIds, string? ExistingResult)
{
    /// <summary>For a repeated client submission: the answer recorded the first time (and nothing was done).</summary>
    public SubmissionAnswer? ExistingSubmission { get; init; }

    /// <summary>Whether this was a repeat of a delivery or submission committed before.</summary>
    public bool IsDuplicate => ExistingResult is not null || ExistingSubmission is not null;

    /// <summary>
    /// The accounts whose usage crossed <see cref="QuotaState.WarningShare"/> (90%) of their quota in this
    /// commit (below it before, at or above it after), with their state after it: the cue for a quota
    /// warning. Empty for most commits.
    /// </summary>
    public IReadOnlyList<QuotaState> QuotaWarnings { get; init; } = [];
}
