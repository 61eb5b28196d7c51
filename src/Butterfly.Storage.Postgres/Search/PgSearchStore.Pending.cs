using Butterfly.Storage.Internal;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// The backlog: contents with a row in <c>search_pending</c> have no vector yet. The store never leaves
/// its own mail there (it indexes in the transaction that stores); <c>butterfly migrate</c> does, and the
/// daemon's SearchIndexWorker works them off. Several daemons may do so at once: each content is taken
/// by one transaction, the others find its row gone and skip it.
/// </summary>
public sealed partial class PgSearchStore
{
    /// <inheritdoc/>
    public Task<long> PendingCountAsync(CancellationToken ct = default)
        => _db.ReadAsync(async read => await read.Int64Async("SELECT COUNT(*) FROM search_pending").ConfigureAwait(false) ?? 0, ct);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PendingContent>> PendingAsync(int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return await _db.ReadAsync(
            read => read.ListAsync(
                "SELECT p.content_id, c.data FROM search_pending p JOIN contents c ON c.id = p.content_id ORDER BY p.content_id LIMIT @n",
                r => new PendingContent(r.GetInt64(0), r.GetFieldValue<byte[]>(1)),
                ("n", (long)max)),
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task IndexPendingAsync(IReadOnlyList<(long ContentId, ContentText Text)> items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);

        // In content order, and each content row locked before its backlog row, as a deletion takes them:
        // two indexers, or an indexer and a deletion, wait for one another instead of deadlocking.
        var ordered = items.OrderBy(i => i.ContentId).ToList();
        return _db.WriteAsync(
            async write =>
            {
                foreach (var (contentId, text) in ordered)
                {
                    var summary = await write.FirstAsync(
                        "SELECT from_addr, to_json, cc_json, subject, message_id FROM contents WHERE id = @c FOR UPDATE",
                        r => new ContentSummary(
                            r.IsDBNull(0) ? null : r.GetString(0),
                            StringListJson.Read(r.IsDBNull(1) ? null : r.GetString(1)),
                            StringListJson.Read(r.IsDBNull(2) ? null : r.GetString(2)),
                            r.IsDBNull(3) ? null : r.GetString(3),
                            null,
                            r.IsDBNull(4) ? null : r.GetString(4)) { Text = text },
                        ("c", contentId)).ConfigureAwait(false);
                    if (summary is null || await write.ExecuteAsync("DELETE FROM search_pending WHERE content_id = @c", ("c", contentId)).ConfigureAwait(false) == 0)
                    {
                        continue;
                    }

                    await write.ExecuteAsync(
                        $"UPDATE contents SET search = {PgSearchVector.Sql}, has_attachment = has_attachment OR @attached WHERE id = @c",
                        [
                            ("c", contentId), ("cfg", _db.Options.TextSearchConfiguration), ("attached", text.AttachmentNames.Count > 0),
                            .. PgSearchVector.Parameters(summary.Subject, summary.From, summary.To.Concat(summary.Cc), text),
                        ]).ConfigureAwait(false);

                    // Old mail numbers its new threads below zero, apart from the modification sequences new mail uses.
                    var copies = await write.ListAsync(
                        "SELECT f.account_id, MIN(m.received) FROM messages m JOIN folders f ON f.id = m.folder_id WHERE m.content_id = @c "
                        + "GROUP BY f.account_id ORDER BY f.account_id",
                        r => (Account: r.GetInt64(0), Received: r.GetInt64(1)),
                        ("c", contentId)).ConfigureAwait(false);
                    foreach (var (account, received) in copies)
                    {
                        await write.ThreadAsync(account, contentId, summary, received, -contentId).ConfigureAwait(false);
                    }
                }

                return true;
            },
            ct);
    }
}
