using Butterfly.Storage.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// The backlog: contents with a row in <c>search_pending</c> have no vector yet. The store never leaves
/// its own mail there (it indexes in the transaction that stores); <c>butterfly migrate</c> does, and the
/// daemon's SearchIndexWorker works them off. Several daemons may do so at once: each content is taken
/// by one transaction, the others find its row gone and skip it.
/// </summary>
public sealed partial class PgSearchStore
{
    private const string SummaryColumns = "from_addr, to_json, cc_json, subject, message_id";

    // The vectors of a batch in one statement: the vector's expression over the unnested rows' words.
    private static readonly string UpdateVectorsSql =
        $"UPDATE contents SET search = {PgSearchVector.Sql.Replace("@v", "u.v", StringComparison.Ordinal)}, has_attachment = has_attachment OR u.attached "
        + "FROM unnest(@ids, @vs, @vf, @vr, @vb, @va, @attached) AS u (id, vs, vf, vr, vb, va, attached) WHERE contents.id = u.id";

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
        var texts = new SortedDictionary<long, ContentText>();
        foreach (var (contentId, text) in items)
        {
            texts[contentId] = text;
        }

        var ids = texts.Keys.ToArray();
        if (ids.Length == 0)
        {
            return Task.CompletedTask;
        }

        return _db.WriteAsync(
            async write =>
            {
                // The contents first, locked in id order, then their backlog rows: the order a deletion takes them
                // in, and another indexer too, so they wait for one another. A content deleted meanwhile is not
                // there; one another indexer took has no backlog row left.
                var summaries = (await write.ListAsync(
                    $"SELECT id, {SummaryColumns} FROM contents WHERE id = ANY(@ids) ORDER BY id FOR UPDATE",
                    r => (Id: r.GetInt64(0), Summary: ReadSummary(r, 1)),
                    ("ids", ids)).ConfigureAwait(false)).ToDictionary(x => x.Id, x => x.Summary);
                var taken = (await write.ListAsync(
                    "DELETE FROM search_pending WHERE content_id = ANY(@ids) RETURNING content_id", r => r.GetInt64(0), ("ids", ids)).ConfigureAwait(false))
                    .Where(summaries.ContainsKey).Order().ToArray();
                if (taken.Length == 0)
                {
                    return true;
                }

                var vectors = taken.Select(id =>
                {
                    var summary = summaries[id];
                    return PgSearchVector.Parameters(summary.Subject, summary.From, summary.To.Concat(summary.Cc), texts[id]);
                }).ToList();
                string[] Field(int i) => [.. vectors.Select(v => (string)v[i].Value!)];
                await write.ExecuteAsync(
                    UpdateVectorsSql,
                    ("ids", taken), ("cfg", _db.Options.TextSearchConfiguration), ("attached", taken.Select(id => texts[id].AttachmentNames.Count > 0).ToArray()),
                    ("vs", Field(0)), ("vf", Field(1)), ("vr", Field(2)), ("vb", Field(3)), ("va", Field(4))).ConfigureAwait(false);

                // Every account's copies, threaded in content order (a reply after the message it answers). Old mail
                // numbers its new threads below zero, apart from the modification sequences new mail uses.
                var copies = await write.ListAsync(
                    "SELECT m.content_id, f.account_id, MIN(m.received) FROM messages m JOIN folders f ON f.id = m.folder_id "
                    + "WHERE m.content_id = ANY(@ids) GROUP BY 1, 2 ORDER BY 1, 2",
                    r => (Content: r.GetInt64(0), Account: r.GetInt64(1), Received: r.GetInt64(2)),
                    ("ids", taken)).ConfigureAwait(false);
                foreach (var (content, account, received) in copies)
                {
                    await write.ThreadAsync(account, content, summaries[content] with { Text = texts[content] }, received, -content).ConfigureAwait(false);
                }

                return true;
            },
            ct);
    }

    private static ContentSummary ReadSummary(NpgsqlDataReader reader, int first)
    {
        string? Text(int i) => reader.IsDBNull(first + i) ? null : reader.GetString(first + i);
        return new ContentSummary(Text(0), StringListJson.Read(Text(1)), StringListJson.Read(Text(2)), Text(3), null, Text(4));
    }
}
