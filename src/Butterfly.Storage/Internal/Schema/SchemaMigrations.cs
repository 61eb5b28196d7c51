namespace Butterfly.Storage.Internal;

/// <summary>
/// The schema as an ordered list of migrations. Migration <c>i</c> takes <c>PRAGMA user_version</c>
/// from <c>i</c> to <c>i + 1</c>. Append new migrations; never edit a released one.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>The SQL of the first three versions, kept for tests that build an old database.</summary>
    public static IReadOnlyList<string> Sql { get; } =
    [
        // 1: accounts, folders, contents (stored once per SHA-256), messages, expunged ids.
        """
        CREATE TABLE accounts (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            address       TEXT    NOT NULL UNIQUE,
            password_hash TEXT    NOT NULL,
            created       INTEGER NOT NULL,
            modseq        INTEGER NOT NULL
        );
        CREATE TABLE folders (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            account_id INTEGER NOT NULL REFERENCES accounts (id),
            name       TEXT    NOT NULL,
            next_id    INTEGER NOT NULL DEFAULT 1,
            modseq     INTEGER NOT NULL,
            UNIQUE (account_id, name)
        );
        CREATE TABLE contents (
            id         INTEGER PRIMARY KEY,
            sha256     BLOB    NOT NULL UNIQUE,
            size       INTEGER NOT NULL,
            from_addr  TEXT,
            to_json    TEXT,
            cc_json    TEXT,
            subject    TEXT,
            date       TEXT,
            message_id TEXT,
            data       BLOB    NOT NULL
        );
        CREATE TABLE messages (
            folder_id  INTEGER NOT NULL REFERENCES folders (id),
            id         INTEGER NOT NULL,
            content_id INTEGER NOT NULL REFERENCES contents (id),
            flags      INTEGER NOT NULL,
            received   INTEGER NOT NULL,
            modseq     INTEGER NOT NULL,
            PRIMARY KEY (folder_id, id)
        ) WITHOUT ROWID;
        CREATE INDEX messages_content ON messages (content_id);
        CREATE TABLE expunged (
            folder_id INTEGER NOT NULL,
            id        INTEGER NOT NULL,
            modseq    INTEGER NOT NULL,
            PRIMARY KEY (folder_id, id)
        ) WITHOUT ROWID;
        """,

        // 2: message and unseen counters kept on the folder row, so listings need no COUNT scans.
        """
        ALTER TABLE folders ADD COLUMN messages INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE folders ADD COLUMN unseen INTEGER NOT NULL DEFAULT 0;
        UPDATE folders SET
            messages = (SELECT COUNT(*) FROM messages m WHERE m.folder_id = folders.id),
            unseen = (SELECT COUNT(*) FROM messages m WHERE m.folder_id = folders.id AND (m.flags & 1) = 0);
        """,

        // 3: the queue (outbound to peer domains, inbound held for filters), and the delivery ids
        // received from peers, so a repeated delivery is answered without storing a second copy.
        """
        CREATE TABLE queue (
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
            size              INTEGER NOT NULL,
            data              BLOB    NOT NULL
        );
        CREATE INDEX queue_due ON queue (kind, next_attempt);
        CREATE TABLE received (
            peer        TEXT    NOT NULL,
            delivery_id TEXT    NOT NULL,
            result      TEXT    NOT NULL,
            created     INTEGER NOT NULL,
            PRIMARY KEY (peer, delivery_id)
        ) WITHOUT ROWID;
        CREATE INDEX received_created ON received (created);
        """,
    ];

    /// <summary>Every migration, in order: SQL text, or code where SQL alone cannot do it.</summary>
    public static IReadOnlyList<Action<SqliteSession>> All { get; } =
    [
        session => session.Execute(Sql[0]),
        session => session.Execute(Sql[1]),
        session => session.Execute(Sql[2]),

        // 4: queue rows refer to contents (stored once, like messages' bytes); every folder's parents exist.
        SchemaVersion4.Apply,

        // Client submission ids (protocol/client.md, "Submission ids"): per account, the answer of the
        // first commit and the copy it named, written in that commit's transaction; pruned by age.
        session => session.Execute(
            """
            CREATE TABLE submissions (
                account_id    INTEGER NOT NULL,
                submission_id TEXT    NOT NULL,
                result        TEXT    NOT NULL,
                folder        TEXT    NOT NULL,
                message_id    INTEGER NOT NULL,
                created       INTEGER NOT NULL,
                PRIMARY KEY (account_id, submission_id)
            ) WITHOUT ROWID;
            CREATE INDEX submissions_created ON submissions (created);
            """),

        // Quotas (usage kept by triggers), aliases and distribution lists.
        SchemaAddresses.Apply,

        // Changes since a state: added-at modseq, moves and removal times, the folder journal, the floors.
        session => session.Execute(SchemaChangeLog.Sql),

        // Accounts' folded address keys (unique); folder names in NFC.
        SchemaNameKeys.Apply,

        // The full-text search index over contents, and threads per account (Search/).
        SchemaSearch.Apply,

        // Programmable addresses: the allow list, scripts with their state and schedule, the run log.
        SchemaScripts.Apply,

        // Web session tokens (SHA-256 only), removed with their account or its password.
        session => session.Execute(SchemaSessionTokens.Sql),
    ];

    public static int LatestVersion => All.Count;

    /// <summary>
    /// Brings the database to <see cref="LatestVersion"/>. Runs under BEGIN IMMEDIATE so two processes
    /// opening the same folder at once apply each migration exactly once.
    /// </summary>
    public static int Apply(SqliteSession session)
    {
        session.Execute("PRAGMA journal_mode = WAL");
        session.Execute("BEGIN IMMEDIATE");
        try
        {
            var version = (int)(session.Command("PRAGMA user_version").ScalarInt64() ?? 0);
            if (version > LatestVersion)
            {
                throw new StoreException(
                    $"The database has schema version {version}, newer than this build knows ({LatestVersion}).");
            }

            for (var v = version; v < LatestVersion; v++)
            {
                All[v](session);
                session.Execute($"PRAGMA user_version = {v + 1}");
            }

            session.Execute("COMMIT");
            return version;
        }
        catch
        {
            session.Execute("ROLLBACK");
            throw;
        }
    }
}
