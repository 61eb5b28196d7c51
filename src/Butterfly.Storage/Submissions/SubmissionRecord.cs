namespace Butterfly.Storage;

/// <summary>
/// A client's submission id and the answer its first commit got, recorded in the same transaction as
/// the mail it stored, so that a retry with the same id is answered again without a second copy.
/// </summary>
/// <param name="AccountId">The submitting account: ids are per account.</param>
/// <param name="SubmissionId">The client's id (the caller checks its format).</param>
/// <param name="Result">The caller's answer (opaque text, e.g. JSON), returned again for a repeat.</param>
public sealed record SubmissionRecord(long AccountId, string SubmissionId, string Result)
{
    /// <summary>Which stored copy the answer names (an index into the copies the commit stores, in order); 0 by default.</summary>
    public int CopyIndex { get; init; }
}
