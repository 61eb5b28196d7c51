namespace Butterfly.Storage.Internal;

/// <summary>
/// Message contents on the writer: one row per distinct SHA-256, whoever refers to it (messages and
/// queue rows). A content is deleted in the same transaction as the last row that referred to it.
/// </summary>
internal sealed class ContentRows : IDisposable
{
    // A content first stored for the queue has no summary; the first message copy of the same bytes
    // brings one. Otherwise a conflict writes nothing (the row holds the blob: no needless rewrite).
    private const string InsertSql =
        "INSERT INTO contents (sha256, size, from_addr, to_json, cc_json, subject, date, message_id, summarized, data) "
        + "VALUES ($sha, $size, $from, $to, $cc, $subject, $date, $mid, $summarized, $data) "
        + "ON CONFLICT (sha256) DO UPDATE SET from_addr = excluded.from_addr, to_json = excluded.to_json, "
        + "cc_json = excluded.cc_json, subject = excluded.subject, date = excluded.date, message_id = excluded.message_id, summarized = 1 "
        + "WHERE contents.summarized = 0 AND excluded.summarized = 1 "
        + "RETURNING id";

    private const string DeleteUnreferencedSql =
        "DELETE FROM contents WHERE id = $c "
        + "AND NOT EXISTS (SELECT 1 FROM messages WHERE content_id = $c) AND NOT EXISTS (SELECT 1 FROM queue WHERE content_id = $c)";

    private readonly WriterContext _context;
    private readonly RawStatement _insert;
    private readonly RawStatement _find;

    public ContentRows(WriterContext context)
    {
        _context = context;
        var db = context.Session.Connection.Handle!;
        _insert = new RawStatement(db, InsertSql);
        _find = new RawStatement(db, "SELECT id FROM contents WHERE sha256 = $sha");
    }

    /// <summary>Stores content once per SHA-256; returns the id of the new or existing row.</summary>
    public long Insert(PreparedContent content)
    {
        var inserted = _insert
            .Blob("$sha", content.Sha256)
            .Int64("$size", content.Data.Length)
            .Text("$from", content.From)
            .Text("$to", content.ToJson)
            .Text("$cc", content.CcJson)
            .Text("$subject", content.Subject)
            .Text("$date", content.Date)
            .Text("$mid", content.MessageId)
            .Int64("$summarized", content.Summarized ? 1 : 0)
            .Blob("$data", content.Data.Span)
            .ScalarInt64();
        if (inserted is { } id && content.Summary is { } summary)
        {
            // New, or first given a summary: marked for the index in this transaction, indexed after the
            // commit, off the acknowledgement (SearchBacklog).
            _context.Search.Defer(id, content.Sha256, summary);
        }

        return inserted ?? _find.Blob("$sha", content.Sha256).ScalarInt64()
            ?? throw new StoreException("Content vanished while being stored.");
    }

    /// <summary>Deletes the contents among <paramref name="contentIds"/> that no message or queue row refers to any more.</summary>
    public void DeleteUnreferenced(IEnumerable<long> contentIds)
    {
        var command = _context.Command(DeleteUnreferencedSql);
        foreach (var contentId in contentIds)
        {
            if (command.Bind("$c", contentId).ExecuteNonQuery() > 0)
            {
                _context.Search.Remove(contentId);
            }
        }
    }

    public void Dispose()
    {
        _insert.Dispose();
        _find.Dispose();
    }
}
