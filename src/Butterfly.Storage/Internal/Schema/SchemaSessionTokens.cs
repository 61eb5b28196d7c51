namespace Butterfly.Storage.Internal;

/// <summary>
/// Web session tokens (protocol/websocket.md, "The session token"): only the SHA-256 of each token is kept, with
/// its account and expiry. Deleting an account, or changing its password (the operator's <c>user passwd</c> or the
/// user's <c>account.passwd</c>), removes its tokens: a password change ends every web session. A new password bumps
/// the account's modseq; the rehash of the same password at login (a new bcrypt cost) does not, and keeps them.
/// </summary>
internal static class SchemaSessionTokens
{
    public const string Sql = """
        CREATE TABLE session_tokens (
            hash       BLOB    NOT NULL PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts (id),
            created    INTEGER NOT NULL,
            expires    INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX session_tokens_account ON session_tokens (account_id, created);
        CREATE INDEX session_tokens_expires ON session_tokens (expires);
        CREATE TRIGGER session_tokens_account_deleted AFTER DELETE ON accounts
        BEGIN
            DELETE FROM session_tokens WHERE account_id = old.id;
        END;
        CREATE TRIGGER session_tokens_password_changed AFTER UPDATE OF password_hash ON accounts
        WHEN old.password_hash IS NOT new.password_hash AND new.modseq IS NOT old.modseq
        BEGIN
            DELETE FROM session_tokens WHERE account_id = old.id;
        END;
        """;
}
