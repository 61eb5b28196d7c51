using Butterfly.Storage.Internal;
using Npgsql;
using NpgsqlTypes;

namespace Butterfly.Storage.Postgres.Internal;

/// <summary>
/// Contents, stored once per SHA-256, with their search vector, and threads (Butterfly.Storage's
/// ContentRows and SearchRows, on PostgreSQL).
/// </summary>
internal sealed partial class PgWrite
{
    // A content first stored for the queue has no summary; the first message copy of the same bytes brings
    // one, and its search vector. Otherwise a conflict writes nothing (no needless rewrite of the bytes).
    // Weights let a search name a field (SearchField): A subject, B sender, C recipients, D body and attachment names.
    private const string InsertContentSql =
        "INSERT INTO contents (sha256, size, from_addr, to_json, cc_json, subject, date, message_id, summarized, has_attachment, search, data) "
        + "VALUES (@sha, @size, @from, @to, @cc, @subject, @date, @mid, @summarized, @attached, "
        + "CASE WHEN @summarized THEN " + PgSearchVector.Sql + " END, @data) "
        + "ON CONFLICT (sha256) DO UPDATE SET from_addr = excluded.from_addr, to_json = excluded.to_json, cc_json = excluded.cc_json, "
        + "subject = excluded.subject, date = excluded.date, message_id = excluded.message_id, summarized = true, "
        + "has_attachment = excluded.has_attachment, search = excluded.search "
        + "WHERE contents.summarized = false AND excluded.summarized = true "
        + "RETURNING id";

    private const string ContentIdSql = "SELECT id FROM contents WHERE sha256 = @sha";

    private const string DeleteUnreferencedSql =
        "DELETE FROM contents c WHERE c.id = @c "
        + "AND NOT EXISTS (SELECT 1 FROM messages WHERE content_id = @c) AND NOT EXISTS (SELECT 1 FROM queue WHERE content_id = @c)";

    // One statement, one round trip per copy (in the delivery's transaction, with its accounts locked): the
    // thread of the first parent found (@parents: In-Reply-To, then References nearest first), else of the
    // latest message with the same subject (@bySubject: a reply without thread fields), else a new one.
    // A copy the account has threaded already keeps its thread (the conflict).
    private const string InsertThreadSql = ThreadInsertSql + "@t), @k, @r ON CONFLICT DO NOTHING";

    // The start of the thread insert, up to the new thread's number (the last choice of the COALESCE).
    private const string ThreadInsertSql =
        "INSERT INTO threads (account_id, content_id, thread_id, subject_key, received) SELECT @a, @c, COALESCE("
        + "(SELECT t.thread_id FROM unnest(@parents::text[]) WITH ORDINALITY AS p (message_id, n) JOIN contents c ON c.message_id = p.message_id "
        + "JOIN threads t ON t.account_id = @a AND t.content_id = c.id ORDER BY p.n LIMIT 1), "
        + "(SELECT thread_id FROM threads WHERE @bySubject AND account_id = @a AND subject_key = @k AND received >= @since ORDER BY received DESC LIMIT 1), ";

    /// <summary>Stores content once per SHA-256, indexed when it has a summary; returns the id of the new or existing row.</summary>
    public async Task<long> InsertContentAsync(PreparedContent content)
    {
        await using var command = Command(InsertContentSql);
        AddContentParameters(command.Parameters, content);
        var inserted = await command.ExecuteScalarAsync().ConfigureAwait(false);
        if (inserted is long id)
        {
            return id;
        }

        return await Int64Async(ContentIdSql, ("sha", content.Sha256)).ConfigureAwait(false)
            ?? throw new StoreException("Content vanished while being stored.");
    }

    /// <summary>
    /// <see cref="InsertContentAsync"/> for a batch, as two statements: the insert (a row with the id when it wrote
    /// one, else none) and the id of the row by SHA-256 (always one row, read it with <see cref="ReadContentIdAsync"/>).
    /// </summary>
    public NpgsqlBatchCommand[] InsertContentCommands(PreparedContent content)
    {
        var insert = new NpgsqlBatchCommand(InsertContentSql);
        AddContentParameters(insert.Parameters, content);
        return [insert, BatchCommand(ContentIdSql, ("sha", content.Sha256))];
    }

    /// <summary>Reads the results of <see cref="InsertContentCommands"/>, the reader at the insert's; leaves it at the id's.</summary>
    public static async Task<long> ReadContentIdAsync(NpgsqlDataReader reader)
    {
        await reader.NextResultAsync().ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false) ? reader.GetInt64(0) : throw new StoreException("Content vanished while being stored.");
    }

    private void AddContentParameters(NpgsqlParameterCollection parameters, PreparedContent content)
    {
        var summary = content.Summary;
        var text = summary?.Text;
        (string Name, object? Value)[] values =
        [
            ("sha", content.Sha256), ("size", (long)content.Data.Length), ("from", content.From), ("to", content.ToJson), ("cc", content.CcJson),
            ("subject", content.Subject), ("date", content.Date), ("mid", content.MessageId), ("summarized", content.Summarized),
            ("attached", text is { AttachmentNames.Count: > 0 }), ("cfg", Options.TextSearchConfiguration),
            .. PgSearchVector.Parameters(summary?.Subject, summary?.From, summary is null ? [] : summary.To.Concat(summary.Cc), text),
        ];
        foreach (var (name, value) in values)
        {
            parameters.AddWithValue(name, PgText.Storable(value) ?? DBNull.Value);
        }

        // The bytes go straight from the caller's memory, as in the SQLite store: no copy into an array.
        parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("data", NpgsqlDbType.Bytea) { TypedValue = content.Data });
        foreach (var name in (string[])["from", "to", "cc", "subject", "date", "mid"])
        {
            parameters[name].NpgsqlDbType = NpgsqlDbType.Text;
        }
    }

    /// <summary>Deletes the contents among <paramref name="contentIds"/> that no message or queue row refers to any more, with their threads and backlog rows.</summary>
    public async Task DeleteUnreferencedAsync(IEnumerable<long> contentIds)
    {
        foreach (var contentId in contentIds)
        {
            if (await ExecuteAsync(DeleteUnreferencedSql, ("c", contentId)).ConfigureAwait(false) > 0)
            {
                await ExecuteAsync("DELETE FROM threads WHERE content_id = @c", ("c", contentId)).ConfigureAwait(false);
                await ExecuteAsync("DELETE FROM search_pending WHERE content_id = @c", ("c", contentId)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Puts an account's copy of a content into a thread, as SearchRows.Thread does: the thread of the message
    /// it replies to (In-Reply-To, then References nearest first), else, for a reply without those fields, of
    /// the latest message with the same subject within the window, else a new thread numbered <paramref name="newThreadId"/>.
    /// </summary>
    public async Task ThreadAsync(long accountId, long contentId, ContentSummary summary, long receivedMs, long newThreadId)
    {
        await using var insert = Command(InsertThreadSql, [.. ThreadParameters(summary, receivedMs), ("a", accountId), ("c", contentId), ("t", newThreadId)]);
        insert.Parameters["k"].NpgsqlDbType = NpgsqlDbType.Text;
        await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>The parameters of <see cref="ThreadInsertSql"/> that come from the message: k, r, parents, bySubject, since.</summary>
    private static (string Name, object? Value)[] ThreadParameters(ContentSummary summary, long receivedMs)
    {
        var (key, reply) = SubjectKey.Normalize(summary.Subject);
        var text = summary.Text;
        var parents = new List<string>();
        if (text is not null)
        {
            if (text.InReplyTo is { } parent)
            {
                parents.Add(parent);
            }

            for (var i = text.References.Count - 1; i >= 0; i--)
            {
                parents.Add(text.References[i]);
            }
        }

        return
        [
            ("k", key), ("r", receivedMs), ("parents", parents.ToArray()),
            ("bySubject", parents.Count == 0 && reply && key is not null), ("since", receivedMs - (long)SearchRows.SubjectWindow.TotalMilliseconds),
        ];
    }
}
