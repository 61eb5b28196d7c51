namespace Butterfly.Storage.Internal;

/// <summary>
/// Programmable addresses (issue 12): the operator's list of addresses that may have a script and
/// their owner, the script per address (source, version, hash, declared schedule and its next time,
/// its state JSON) and the run log. Mail waiting for a script is a queue row of kind 3
/// (<see cref="QueueKind.Script"/>), so it shares the queue's content, attempts and next attempt.
/// Deleting an account removes the addresses it owns with their scripts and logs.
/// </summary>
internal static class SchemaScripts
{
    private const string Sql = """
        CREATE TABLE script_addresses (
            address  TEXT    NOT NULL PRIMARY KEY,
            owner_id INTEGER NOT NULL REFERENCES accounts (id),
            created  INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX script_addresses_owner ON script_addresses (owner_id);

        CREATE TABLE scripts (
            address       TEXT    NOT NULL PRIMARY KEY REFERENCES script_addresses (address),
            source        TEXT    NOT NULL,
            version       INTEGER NOT NULL,
            hash          TEXT    NOT NULL,
            updated       INTEGER NOT NULL,
            schedule      TEXT,
            next_run      INTEGER,
            state         TEXT    NOT NULL DEFAULT '{}',
            state_version INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX scripts_next_run ON scripts (next_run) WHERE next_run IS NOT NULL;

        CREATE TABLE script_runs (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            address    TEXT    NOT NULL,
            at         INTEGER NOT NULL,
            trigger    TEXT    NOT NULL,
            outcome    TEXT    NOT NULL,
            committed  INTEGER NOT NULL,
            version    INTEGER NOT NULL,
            delivery   TEXT,
            sender     TEXT,
            message_id TEXT,
            effects    TEXT,
            error      TEXT,
            log        TEXT,
            statements INTEGER NOT NULL,
            elapsed_us INTEGER NOT NULL
        );
        CREATE INDEX script_runs_address ON script_runs (address, id);

        CREATE TRIGGER accounts_scripts_remove AFTER DELETE ON accounts BEGIN
            DELETE FROM script_runs WHERE address IN (SELECT address FROM script_addresses WHERE owner_id = OLD.id);
            DELETE FROM scripts WHERE address IN (SELECT address FROM script_addresses WHERE owner_id = OLD.id);
            DELETE FROM script_addresses WHERE owner_id = OLD.id;
        END;
        """;

    public static void Apply(SqliteSession session) => session.Execute(Sql);
}
