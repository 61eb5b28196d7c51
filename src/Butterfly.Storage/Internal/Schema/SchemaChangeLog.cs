namespace Butterfly.Storage.Internal;

/// <summary>
/// The migration that lets the store answer "what changed since state S" (protocol/client.md, "changes"):
/// when each message was added, where a moved message went and when a row was expunged, a journal of
/// folder creations, renames and deletions, and per account the lowest state still answerable.
/// </summary>
internal static class SchemaChangeLog
{
    /// <summary>
    /// Existing accounts get their current modseq as the floor: rows written before this migration carry
    /// no added-at state nor removal time, so older states cannot be answered exactly (a client resyncs once).
    /// </summary>
    public const string Sql =
        """
        ALTER TABLE messages ADD COLUMN added_modseq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE expunged ADD COLUMN moved_folder_id INTEGER;
        ALTER TABLE expunged ADD COLUMN moved_id INTEGER;
        ALTER TABLE expunged ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX messages_modseq ON messages (folder_id, modseq);
        CREATE INDEX expunged_modseq ON expunged (folder_id, modseq);
        CREATE TABLE folder_changes (
            seq        INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL,
            modseq     INTEGER NOT NULL,
            kind       INTEGER NOT NULL,
            folder_id  INTEGER NOT NULL,
            name       TEXT    NOT NULL,
            old_name   TEXT,
            created    INTEGER NOT NULL
        );
        CREATE INDEX folder_changes_account ON folder_changes (account_id, modseq);
        CREATE TABLE change_floors (
            account_id INTEGER PRIMARY KEY,
            modseq     INTEGER NOT NULL
        );
        INSERT INTO change_floors (account_id, modseq) SELECT id, modseq FROM accounts;
        """;
}
