namespace Butterfly.Storage.Internal;

/// <summary>
/// Queue rows on the writer. A row refers to its bytes in <c>contents</c>, like a message does; removing
/// the last row or message that refers to a content deletes the content in the same transaction.
/// </summary>
internal sealed class QueueRows
{
    private const string InsertSql =
        "INSERT INTO queue (kind, delivery_id, domain, sender, sender_account_id, recipients_json, hops, created, next_attempt, meta, content_id) "
        + "VALUES ($k, $d, $dom, $s, $sa, $r, $h, $c, $n, $meta, $content) RETURNING id";

    private const string UpdateSql =
        "UPDATE queue SET recipients_json = $r, next_attempt = $n, attempts = $at, last_error = $e, delay_notified = $dn WHERE id = $id";

    private const string DeleteSql = "DELETE FROM queue WHERE id = $id RETURNING content_id";

    private readonly WriterContext _context;

    public QueueRows(WriterContext context) => _context = context;

    /// <summary>Adds an entry whose bytes are content <paramref name="contentId"/>; returns its id.</summary>
    public long Insert(QueueEntry entry, long contentId, long nowMs)
        => _context.Command(InsertSql)
            .Bind("$k", (long)entry.Kind).Bind("$d", entry.DeliveryId).Bind("$dom", entry.Domain)
            .Bind("$s", entry.Sender).Bind("$sa", entry.SenderAccountId).Bind("$r", StringListJson.Write(entry.Recipients) ?? "[]")
            .Bind("$h", (long)entry.Hops).Bind("$c", nowMs).Bind("$n", UnixTime.ToMs(entry.NextAttempt))
            .Bind("$meta", entry.Meta).Bind("$content", contentId)
            .ScalarInt64()!.Value;

    /// <summary>Records an attempt, or removes the entry when no recipient is left.</summary>
    /// <returns>Whether the entry existed.</returns>
    public bool Update(QueueUpdate update)
    {
        if (update.Recipients is null || update.Recipients.Count == 0)
        {
            return Remove(update.Id);
        }

        return _context.Command(UpdateSql)
            .Bind("$r", StringListJson.Write(update.Recipients)).Bind("$n", UnixTime.ToMs(update.NextAttempt))
            .Bind("$at", (long)update.Attempts).Bind("$e", update.LastError).Bind("$dn", update.DelayNotified ? 1L : 0L)
            .Bind("$id", update.Id).ExecuteNonQuery() > 0;
    }

    /// <summary>Removes an entry, and its content when nothing else refers to it.</summary>
    /// <returns>Whether the entry existed.</returns>
    public bool Remove(long id)
    {
        var contentId = _context.Command(DeleteSql).Bind("$id", id).ScalarInt64();
        if (contentId is null)
        {
            return false;
        }

        _context.Contents.DeleteUnreferenced([contentId.Value]);
        return true;
    }
}
