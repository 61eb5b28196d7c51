namespace Butterfly.Storage.Internal;

/// <summary>
/// The search index and threads on the writer, written in the transaction that stores, moves or deletes
/// (Search/). A content is indexed once, keyed by its id; a thread is kept per (account, content), so a
/// move or copy changes neither and a removal changes them only with the content's last reference.
/// </summary>
internal sealed class SearchRows : IDisposable
{
    /// <summary>How far back a reply without thread fields looks for a message with the same subject.</summary>
    public static readonly TimeSpan SubjectWindow = TimeSpan.FromDays(30);

    private const string InsertSql =
        "INSERT INTO search (rowid, subject, sender, recipients, body, attachments) VALUES ($c, $s, $f, $r, $b, $n)";

    // CROSS JOIN keeps contents (by Message-ID) as the outer loop: left to itself the planner walks all of
    // the account's threads instead, and delivery into a big mailbox slows with every message.
    private const string ThreadByMessageIdSql =
        "SELECT t.thread_id FROM contents c CROSS JOIN threads t ON t.account_id = $a AND t.content_id = c.id WHERE c.message_id = $m LIMIT 1";

    private const string ThreadBySubjectSql =
        "SELECT thread_id FROM threads WHERE account_id = $a AND subject_key = $k AND received >= $r ORDER BY received DESC LIMIT 1";

    private readonly WriterContext _context;
    private readonly RawStatement _insert;
    private readonly RawStatement _findThread;
    private readonly RawStatement _insertThread;
    private readonly RawStatement _insertPending;
    private readonly RawStatement _markAttachment;
    private readonly RawStatement _takePending;
    private readonly RawStatement _contentHash;

    public SearchRows(WriterContext context)
    {
        _context = context;
        var db = context.Session.Connection.Handle!;
        _insert = new RawStatement(db, InsertSql);
        _findThread = new RawStatement(db, "SELECT thread_id FROM threads WHERE account_id = $a AND content_id = $c");
        _insertThread = new RawStatement(
            db, "INSERT OR IGNORE INTO threads (account_id, content_id, thread_id, subject_key, received) VALUES ($a, $c, $t, $k, $r)");
        _insertPending = new RawStatement(db, "INSERT OR IGNORE INTO search_pending (content_id) VALUES ($c)");
        _markAttachment = new RawStatement(db, "UPDATE contents SET has_attachment = 1 WHERE id = $c");
        _takePending = new RawStatement(db, "DELETE FROM search_pending WHERE content_id = $c");
        _contentHash = new RawStatement(db, "SELECT sha256 FROM contents WHERE id = $c");
    }

    /// <summary>
    /// Marks a content stored (or first summarized) just now for the index: a <c>search_pending</c> row in
    /// this transaction, and an entry the writer hands to the backlog after the commit. The attachment mark
    /// is set at once (a cheap column, which searches read without waiting for the index).
    /// </summary>
    public void Defer(long contentId, byte[] sha256, ContentSummary summary)
    {
        _insertPending.Int64("$c", contentId).Execute();
        if (summary.Text is { AttachmentNames.Count: > 0 })
        {
            _markAttachment.Int64("$c", contentId).Execute();
        }

        _context.Deferred.Add(new IndexEntry(contentId, sha256, summary));
    }

    /// <summary>Indexes deferred contents (<see cref="IndexDeferred(IndexEntry)"/>); true, for the writer's operation.</summary>
    public bool IndexDeferred(IReadOnlyList<IndexEntry> entries)
    {
        foreach (var entry in entries)
        {
            IndexDeferred(entry);
        }

        return true;
    }

    /// <summary>
    /// Indexes a deferred content, unless it is no longer pending (indexed by the background indexer, or
    /// deleted) or its id now names other bytes (deleted, and the id reused).
    /// </summary>
    public void IndexDeferred(IndexEntry entry)
    {
        if (!_contentHash.Int64("$c", entry.ContentId).ScalarBlobEquals(entry.Sha256))
        {
            return;
        }

        if (_takePending.Int64("$c", entry.ContentId).ExecuteChanges() == 0)
        {
            return;
        }

        Insert(entry.ContentId, entry.Summary, entry.Summary.Text);
    }

    /// <summary>Indexes a content's header fields and, when extracted, its text.</summary>
    public void Index(long contentId, ContentSummary summary, ContentText? text)
    {
        Insert(contentId, summary, text);
        if (text is { AttachmentNames.Count: > 0 })
        {
            _markAttachment.Int64("$c", contentId).Execute();
        }
    }

    private void Insert(long contentId, ContentSummary summary, ContentText? text)
    {
        var recipients = summary.Cc.Count == 0 ? string.Join(", ", summary.To) : string.Join(", ", summary.To.Concat(summary.Cc));
        _insert.Int64("$c", contentId)
            .Text("$s", summary.Subject)
            .Text("$f", summary.From)
            .Text("$r", recipients)
            .Text("$b", text?.Body)
            .Text("$n", text is null ? null : string.Join(' ', text.AttachmentNames))
            .Execute();
    }

    /// <summary>
    /// Puts an account's copy of a content into a thread: the thread of the message it replies to
    /// (In-Reply-To, then References nearest first), else, for a reply without those fields, of the latest
    /// message with the same subject within <see cref="SubjectWindow"/>, else a new thread numbered
    /// <paramref name="newThreadId"/>. Nothing changes when the account has a thread for it already.
    /// </summary>
    public void Thread(long accountId, long contentId, ContentSummary summary, long receivedMs, long newThreadId)
    {
        if (_findThread.Int64("$a", accountId).Int64("$c", contentId).ScalarInt64() is not null)
        {
            return;
        }

        var (key, reply) = SubjectKey.Normalize(summary.Subject);
        var text = summary.Text;
        long? thread = null;
        if (text is not null)
        {
            var find = _context.Command(ThreadByMessageIdSql);
            if (text.InReplyTo is { } parent)
            {
                thread = find.Bind("$a", accountId).Bind("$m", parent).ScalarInt64();
            }

            for (var i = text.References.Count - 1; thread is null && i >= 0; i--)
            {
                thread = find.Bind("$a", accountId).Bind("$m", text.References[i]).ScalarInt64();
            }
        }

        var hasThreadFields = text is not null && (text.InReplyTo is not null || text.References.Count > 0);
        if (thread is null && !hasThreadFields && reply && key is not null)
        {
            thread = _context.Command(ThreadBySubjectSql)
                .Bind("$a", accountId).Bind("$k", key).Bind("$r", receivedMs - (long)SubjectWindow.TotalMilliseconds).ScalarInt64();
        }

        _insertThread.Int64("$a", accountId).Int64("$c", contentId).Int64("$t", thread ?? newThreadId).Text("$k", key).Int64("$r", receivedMs)
            .Execute();
    }

    /// <summary>Forgets a content that was just deleted: its index entry, its threads, its place in the backlog.</summary>
    public void Remove(long contentId)
    {
        _context.Command("DELETE FROM search WHERE rowid = $c").Bind("$c", contentId).ExecuteNonQuery();
        _context.Command("DELETE FROM threads WHERE content_id = $c").Bind("$c", contentId).ExecuteNonQuery();
        _context.Command("DELETE FROM search_pending WHERE content_id = $c").Bind("$c", contentId).ExecuteNonQuery();
    }

    public void Dispose()
    {
        _insert.Dispose();
        _findThread.Dispose();
        _insertThread.Dispose();
        _insertPending.Dispose();
        _markAttachment.Dispose();
        _takePending.Dispose();
        _contentHash.Dispose();
    }
}
