namespace Butterfly.Storage.Internal;

/// <summary>
/// Quotas, aliases and distribution lists. Each account gains its storage <c>usage</c> (the sum of the
/// sizes of the messages in its folders, the same content counted once per copy) and an optional
/// <c>quota</c> override. The usage counter is kept by triggers on <c>messages</c>, so every path that
/// adds or removes a message row (delivery, upload, move, copy, delete, folder and account deletion)
/// updates it in the same transaction, with no scan. Aliases map an address (or <c>@domain</c>, the
/// catch-all) to accounts; lists have an owner, a posting policy and members.
/// </summary>
internal static class SchemaAddresses
{
    private const string Sql = """
        ALTER TABLE accounts ADD COLUMN usage INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE accounts ADD COLUMN quota INTEGER;
        UPDATE accounts SET usage = (
            SELECT COALESCE(SUM(c.size), 0) FROM messages m
            JOIN folders f ON f.id = m.folder_id JOIN contents c ON c.id = m.content_id
            WHERE f.account_id = accounts.id);
        CREATE TRIGGER messages_usage_add AFTER INSERT ON messages BEGIN
            UPDATE accounts SET usage = usage + (SELECT size FROM contents WHERE id = NEW.content_id)
            WHERE id = (SELECT account_id FROM folders WHERE id = NEW.folder_id);
        END;
        CREATE TRIGGER messages_usage_remove AFTER DELETE ON messages BEGIN
            UPDATE accounts SET usage = usage - (SELECT size FROM contents WHERE id = OLD.content_id)
            WHERE id = (SELECT account_id FROM folders WHERE id = OLD.folder_id);
        END;

        CREATE TABLE aliases (
            address    TEXT    NOT NULL,
            account_id INTEGER NOT NULL REFERENCES accounts (id),
            created    INTEGER NOT NULL,
            PRIMARY KEY (address, account_id)
        ) WITHOUT ROWID;
        CREATE INDEX aliases_account ON aliases (account_id);

        CREATE TABLE lists (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            address  TEXT    NOT NULL UNIQUE,
            owner_id INTEGER NOT NULL REFERENCES accounts (id),
            policy   INTEGER NOT NULL,
            created  INTEGER NOT NULL
        );
        CREATE INDEX lists_owner ON lists (owner_id);
        CREATE TABLE list_members (
            list_id INTEGER NOT NULL REFERENCES lists (id),
            address TEXT    NOT NULL,
            PRIMARY KEY (list_id, address)
        ) WITHOUT ROWID;

        CREATE TRIGGER accounts_addresses_remove AFTER DELETE ON accounts BEGIN
            DELETE FROM aliases WHERE account_id = OLD.id;
            DELETE FROM list_members WHERE address = OLD.address OR list_id IN (SELECT id FROM lists WHERE owner_id = OLD.id);
            DELETE FROM lists WHERE owner_id = OLD.id;
        END;
        """;

    public static void Apply(SqliteSession session) => session.Execute(Sql);
}
