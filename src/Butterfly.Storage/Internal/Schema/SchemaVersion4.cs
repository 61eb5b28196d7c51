using System.Security.Cryptography;

namespace Butterfly.Storage.Internal;

/// <summary>
/// Schema 4. Queue rows lose their own <c>data</c> and refer to <c>contents</c> like messages do, so a
/// message queued for several domains, or queued and also filed in Sent, is stored once; contents gain
/// <c>summarized</c> (0 for bytes stored for the queue only, whose header fields nobody lists yet).
/// Folders whose parents had no row of their own (<c>a/b</c> without <c>a</c>) get those parents.
/// Runs inside the migration's transaction: on any failure nothing of it is kept.
/// </summary>
internal static class SchemaVersion4
{
    private const string CreateQueueSql = """
        CREATE TABLE queue_v4 (
            id                INTEGER PRIMARY KEY AUTOINCREMENT,
            kind              INTEGER NOT NULL,
            delivery_id       TEXT    NOT NULL UNIQUE,
            domain            TEXT,
            sender            TEXT    NOT NULL,
            sender_account_id INTEGER,
            recipients_json   TEXT    NOT NULL,
            hops              INTEGER NOT NULL,
            created           INTEGER NOT NULL,
            next_attempt      INTEGER NOT NULL,
            attempts          INTEGER NOT NULL DEFAULT 0,
            last_error        TEXT,
            delay_notified    INTEGER NOT NULL DEFAULT 0,
            meta              TEXT,
            content_id        INTEGER NOT NULL REFERENCES contents (id)
        );
        """;

    private const string CopyRowSql =
        "INSERT INTO queue_v4 (id, kind, delivery_id, domain, sender, sender_account_id, recipients_json, hops, created, next_attempt, "
        + "attempts, last_error, delay_notified, meta, content_id) "
        + "SELECT id, kind, delivery_id, domain, sender, sender_account_id, recipients_json, hops, created, next_attempt, "
        + "attempts, last_error, delay_notified, meta, $content FROM queue WHERE id = $id";

    private const string InsertContentSql =
        "INSERT INTO contents (sha256, size, summarized, data) VALUES ($sha, $size, 0, $data) ON CONFLICT (sha256) DO NOTHING";

    public static void Apply(SqliteSession session)
    {
        session.Execute("ALTER TABLE contents ADD COLUMN summarized INTEGER NOT NULL DEFAULT 1");
        session.Execute(CreateQueueSql);
        MoveQueueBytesIntoContents(session);

        // Queue ids stay what the operator saw: the new table continues the old one's sequence.
        var sequence = session.Command("SELECT seq FROM sqlite_sequence WHERE name = 'queue'").ScalarInt64();
        session.Execute("DROP TABLE queue");
        session.Execute("ALTER TABLE queue_v4 RENAME TO queue");
        if (sequence is not null)
        {
            session.Command("DELETE FROM sqlite_sequence WHERE name = 'queue'").ExecuteNonQuery();
            session.Command("INSERT INTO sqlite_sequence (name, seq) VALUES ('queue', $s)").Bind("$s", sequence.Value).ExecuteNonQuery();
        }

        session.Execute("CREATE INDEX queue_due ON queue (kind, next_attempt)");
        session.Execute("CREATE INDEX queue_content ON queue (content_id)");
        CreateMissingParents(session);
    }

    private static void MoveQueueBytesIntoContents(SqliteSession session)
    {
        var ids = new List<long>();
        using (var reader = session.Command("SELECT id FROM queue ORDER BY id").ExecuteReader())
        {
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        // One row at a time: a queue of large messages is never in memory all at once.
        foreach (var id in ids)
        {
            var data = (byte[])session.Command("SELECT data FROM queue WHERE id = $id").Bind("$id", id).ExecuteScalar()!;
            var sha = SHA256.HashData(data);
            session.Command(InsertContentSql).Bind("$sha", sha).Bind("$size", (long)data.Length).Bind("$data", data).ExecuteNonQuery();
            var contentId = session.Command("SELECT id FROM contents WHERE sha256 = $sha").Bind("$sha", sha).ScalarInt64()!.Value;
            session.Command(CopyRowSql).Bind("$content", contentId).Bind("$id", id).ExecuteNonQuery();
        }
    }

    private static void CreateMissingParents(SqliteSession session)
    {
        var folders = new List<(long AccountId, string Name)>();
        using (var reader = session.Command("SELECT account_id, name FROM folders").ExecuteReader())
        {
            while (reader.Read())
            {
                folders.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        var insert = session.Command(
            "INSERT INTO folders (account_id, name, modseq) SELECT $a, $n, modseq FROM accounts WHERE id = $a ON CONFLICT DO NOTHING");
        foreach (var (accountId, name) in folders)
        {
            foreach (var parent in FolderNames.Parents(name))
            {
                insert.Bind("$a", accountId).Bind("$n", parent).ExecuteNonQuery();
            }
        }
    }
}
