namespace Butterfly.Storage.Internal;

/// <summary>
/// The search and threads migration. Contents get a full-text index (FTS5, contentless, its rowid the
/// content id, so each content is indexed once however many folders hold it) and an attachment mark;
/// each account's view of a content gets a thread. Contents stored before it wait in
/// <c>search_pending</c> until the background indexer reads them (resumable: a row leaves the table in the
/// transaction that indexes it).
/// </summary>
internal static class SchemaSearch
{
    public const string Sql = """
        ALTER TABLE contents ADD COLUMN has_attachment INTEGER NOT NULL DEFAULT 0;
        CREATE VIRTUAL TABLE search USING fts5 (
            subject, sender, recipients, body, attachments,
            content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TABLE search_pending (content_id INTEGER PRIMARY KEY);
        INSERT INTO search_pending (content_id) SELECT id FROM contents WHERE summarized = 1;
        CREATE INDEX contents_message_id ON contents (message_id) WHERE message_id IS NOT NULL;
        CREATE TABLE threads (
            account_id  INTEGER NOT NULL,
            content_id  INTEGER NOT NULL,
            thread_id   INTEGER NOT NULL,
            subject_key TEXT,
            received    INTEGER NOT NULL,
            PRIMARY KEY (account_id, content_id)
        ) WITHOUT ROWID;
        CREATE INDEX threads_thread ON threads (account_id, thread_id);
        CREATE INDEX threads_subject ON threads (account_id, subject_key, received) WHERE subject_key IS NOT NULL;
        """;

    public static void Apply(SqliteSession session) => session.Execute(Sql);
}
