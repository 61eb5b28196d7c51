namespace Butterfly.Storage.Internal;

/// <summary>
/// A content committed with its summary and text but not indexed yet (its <c>search_pending</c> row was
/// written by the same transaction). The hash tells a content from a later one that reused its id.
/// </summary>
/// <param name="ContentId">The content's id.</param>
/// <param name="Sha256">The content's SHA-256, as stored.</param>
/// <param name="Summary">The caller's summary, with the extracted text when it had one.</param>
internal sealed record IndexEntry(long ContentId, byte[] Sha256, ContentSummary Summary)
{
    /// <summary>Roughly what the entry holds in memory, for the backlog's bound.</summary>
    public long Bytes => 256 + (2L * (Summary.Text?.Body.Length ?? 0));
}
