namespace Butterfly.Storage.Postgres.Internal;

/// <summary>
/// The schema as an ordered list of migrations; migration <c>i</c> takes the database from version
/// <c>i</c> to <c>i + 1</c> (<c>schema_version</c>). Append new migrations; never edit a released one.
/// The first is the whole of the SQLite schema at the time (src/Butterfly.Storage/README.md, "Schema"),
/// in PostgreSQL's types: text compared byte by byte (<c>COLLATE "C"</c>, as SQLite's BINARY), booleans
/// for flags that were 0/1, the search index a <c>tsvector</c> column on the content row.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Every migration, in order.</summary>
    public static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE accounts (
            id            bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            address       text    COLLATE "C" NOT NULL UNIQUE,
            address_key   text    COLLATE "C" UNIQUE,
            password_hash text    NOT NULL,
            created       bigint  NOT NULL,
            modseq        bigint  NOT NULL,
            usage         bigint  NOT NULL DEFAULT 0,
            quota         bigint
        );

        -- next_id is taken in the transaction that adds the message (the folder row stays locked until
        -- commit), so ids increase per folder and a rolled-back transaction leaves no gap.
        CREATE TABLE folders (
            id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            account_id bigint NOT NULL REFERENCES accounts (id),
            name       text   COLLATE "C" NOT NULL,
            next_id    bigint NOT NULL DEFAULT 1,
            modseq     bigint NOT NULL,
            messages   bigint NOT NULL DEFAULT 0,
            unseen     bigint NOT NULL DEFAULT 0,
            UNIQUE (account_id, name)
        );

        -- One row per distinct SHA-256, whoever refers to it (messages and queue rows). search holds the
        -- full-text vector (weights: A subject, B sender, C recipients, D body and attachment names).
        CREATE TABLE contents (
            id             bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            sha256         bytea   NOT NULL UNIQUE,
            size           bigint  NOT NULL,
            from_addr      text,
            to_json        text,
            cc_json        text,
            subject        text,
            date           text,
            message_id     text,
            summarized     boolean NOT NULL,
            has_attachment boolean NOT NULL DEFAULT false,
            search         tsvector,
            data           bytea   NOT NULL
        );
        CREATE INDEX contents_message_id ON contents (message_id) WHERE message_id IS NOT NULL;
        CREATE INDEX contents_search ON contents USING gin (search);

        CREATE TABLE messages (
            folder_id    bigint NOT NULL REFERENCES folders (id),
            id           bigint NOT NULL,
            content_id   bigint NOT NULL REFERENCES contents (id),
            flags        bigint NOT NULL,
            received     bigint NOT NULL,
            modseq       bigint NOT NULL,
            added_modseq bigint NOT NULL,
            PRIMARY KEY (folder_id, id)
        );
        CREATE INDEX messages_content ON messages (content_id);
        CREATE INDEX messages_modseq ON messages (folder_id, modseq);

        CREATE TABLE expunged (
            folder_id       bigint NOT NULL,
            id              bigint NOT NULL,
            modseq          bigint NOT NULL,
            moved_folder_id bigint,
            moved_id        bigint,
            removed         bigint NOT NULL,
            PRIMARY KEY (folder_id, id)
        );
        CREATE INDEX expunged_modseq ON expunged (folder_id, modseq);

        CREATE TABLE folder_changes (
            seq        bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            account_id bigint  NOT NULL,
            modseq     bigint  NOT NULL,
            kind       integer NOT NULL,
            folder_id  bigint  NOT NULL,
            name       text    COLLATE "C" NOT NULL,
            old_name   text    COLLATE "C",
            created    bigint  NOT NULL
        );
        CREATE INDEX folder_changes_account ON folder_changes (account_id, modseq);

        CREATE TABLE change_floors (
            account_id bigint PRIMARY KEY,
            modseq     bigint NOT NULL
        );

        CREATE TABLE queue (
            id                bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            kind              integer NOT NULL,
            delivery_id       text    NOT NULL UNIQUE,
            domain            text,
            sender            text    NOT NULL,
            sender_account_id bigint,
            recipients_json   text    NOT NULL,
            hops              integer NOT NULL,
            created           bigint  NOT NULL,
            next_attempt      bigint  NOT NULL,
            attempts          integer NOT NULL DEFAULT 0,
            last_error        text,
            delay_notified    boolean NOT NULL DEFAULT false,
            meta              text,
            content_id        bigint  NOT NULL REFERENCES contents (id)
        );
        CREATE INDEX queue_due ON queue (kind, next_attempt);
        CREATE INDEX queue_content ON queue (content_id);

        CREATE TABLE received (
            peer        text   NOT NULL,
            delivery_id text   NOT NULL,
            result      text   NOT NULL,
            created     bigint NOT NULL,
            PRIMARY KEY (peer, delivery_id)
        );
        CREATE INDEX received_created ON received (created);

        CREATE TABLE submissions (
            account_id    bigint NOT NULL,
            submission_id text   NOT NULL,
            result        text   NOT NULL,
            folder        text   COLLATE "C" NOT NULL,
            message_id    bigint NOT NULL,
            created       bigint NOT NULL,
            PRIMARY KEY (account_id, submission_id)
        );
        CREATE INDEX submissions_created ON submissions (created);

        CREATE TABLE aliases (
            address    text   COLLATE "C" NOT NULL,
            account_id bigint NOT NULL REFERENCES accounts (id),
            created    bigint NOT NULL,
            PRIMARY KEY (address, account_id)
        );
        CREATE INDEX aliases_account ON aliases (account_id);

        CREATE TABLE lists (
            id       bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            address  text    COLLATE "C" NOT NULL UNIQUE,
            owner_id bigint  NOT NULL REFERENCES accounts (id),
            policy   integer NOT NULL,
            created  bigint  NOT NULL
        );
        CREATE INDEX lists_owner ON lists (owner_id);

        CREATE TABLE list_members (
            list_id bigint NOT NULL REFERENCES lists (id),
            address text   COLLATE "C" NOT NULL,
            PRIMARY KEY (list_id, address)
        );

        CREATE TABLE search_pending (content_id bigint PRIMARY KEY);

        CREATE TABLE threads (
            account_id  bigint NOT NULL,
            content_id  bigint NOT NULL,
            thread_id   bigint NOT NULL,
            subject_key text,
            received    bigint NOT NULL,
            PRIMARY KEY (account_id, content_id)
        );
        CREATE INDEX threads_thread ON threads (account_id, thread_id);
        CREATE INDEX threads_subject ON threads (account_id, subject_key, received) WHERE subject_key IS NOT NULL;

        CREATE TABLE script_addresses (
            address  text   COLLATE "C" NOT NULL PRIMARY KEY,
            owner_id bigint NOT NULL REFERENCES accounts (id),
            created  bigint NOT NULL
        );
        CREATE INDEX script_addresses_owner ON script_addresses (owner_id);

        CREATE TABLE scripts (
            address       text    COLLATE "C" NOT NULL PRIMARY KEY REFERENCES script_addresses (address),
            source        text    NOT NULL,
            version       bigint  NOT NULL,
            hash          text    NOT NULL,
            updated       bigint  NOT NULL,
            schedule      text,
            next_run      bigint,
            state         text    NOT NULL DEFAULT '{}',
            state_version bigint  NOT NULL DEFAULT 0
        );
        CREATE INDEX scripts_next_run ON scripts (next_run) WHERE next_run IS NOT NULL;

        CREATE TABLE script_runs (
            id         bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            address    text    COLLATE "C" NOT NULL,
            at         bigint  NOT NULL,
            trigger    text    NOT NULL,
            outcome    text    NOT NULL,
            committed  boolean NOT NULL,
            version    bigint  NOT NULL,
            delivery   text,
            sender     text,
            message_id text,
            effects    text,
            error      text,
            log        text,
            statements bigint  NOT NULL,
            elapsed_us bigint  NOT NULL
        );
        CREATE INDEX script_runs_address ON script_runs (address, id);

        -- Quotas: every path that adds or removes a message row keeps the account's usage, in its transaction.
        CREATE FUNCTION messages_usage() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                UPDATE accounts SET usage = usage + (SELECT size FROM contents WHERE id = NEW.content_id)
                WHERE id = (SELECT account_id FROM folders WHERE id = NEW.folder_id);
                RETURN NEW;
            END IF;
            UPDATE accounts SET usage = usage - (SELECT size FROM contents WHERE id = OLD.content_id)
            WHERE id = (SELECT account_id FROM folders WHERE id = OLD.folder_id);
            RETURN OLD;
        END
        $$;
        CREATE TRIGGER messages_usage AFTER INSERT OR DELETE ON messages FOR EACH ROW EXECUTE FUNCTION messages_usage();

        -- Deleting an account removes it from aliases and lists, deletes the lists it owns and its script
        -- addresses with their scripts and runs. BEFORE the delete: the foreign keys would refuse it after.
        CREATE FUNCTION accounts_remove_addresses() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM aliases WHERE account_id = OLD.id;
            DELETE FROM list_members WHERE address = OLD.address OR list_id IN (SELECT id FROM lists WHERE owner_id = OLD.id);
            DELETE FROM lists WHERE owner_id = OLD.id;
            DELETE FROM script_runs WHERE address IN (SELECT address FROM script_addresses WHERE owner_id = OLD.id);
            DELETE FROM scripts WHERE address IN (SELECT address FROM script_addresses WHERE owner_id = OLD.id);
            DELETE FROM script_addresses WHERE owner_id = OLD.id;
            RETURN OLD;
        END
        $$;
        CREATE TRIGGER accounts_remove_addresses BEFORE DELETE ON accounts FOR EACH ROW EXECUTE FUNCTION accounts_remove_addresses();
        """,

        // 2: web session tokens (SQLite's SchemaSessionTokens): only each token's SHA-256, its account and expiry.
        // Deleting the account removes them (the cascade); so does a new password, which bumps the account's
        // modseq (the rehash of the same password at login does not, and keeps them).
        """
        CREATE TABLE session_tokens (
            hash       bytea  NOT NULL PRIMARY KEY,
            account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            created    bigint NOT NULL,
            expires    bigint NOT NULL
        );
        CREATE INDEX session_tokens_account ON session_tokens (account_id, created);
        CREATE INDEX session_tokens_expires ON session_tokens (expires);

        CREATE FUNCTION session_tokens_password_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM session_tokens WHERE account_id = OLD.id;
            RETURN NEW;
        END
        $$;
        CREATE TRIGGER session_tokens_password_changed AFTER UPDATE OF password_hash ON accounts FOR EACH ROW
            WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash AND NEW.modseq IS DISTINCT FROM OLD.modseq)
            EXECUTE FUNCTION session_tokens_password_changed();
        """,

        // 3: leases, so several daemons work the queue and the scripts' schedules without doing anything twice
        // (README.md, "Leases"). A claim stamps the store instance that took the row and until when (ms on the
        // database server's clock); an update or removal clears it; an instance that stops renewing loses it at
        // lease_until. The partial indexes hold only the rows leased now: the claims' "is an earlier message of
        // this address leased?" and the renewal's "what do I hold?".
        """
        ALTER TABLE queue ADD COLUMN lease_owner text, ADD COLUMN lease_until bigint;
        CREATE INDEX queue_leased ON queue (kind, recipients_json, id) WHERE lease_owner IS NOT NULL;
        CREATE INDEX queue_lease_owner ON queue (lease_owner) WHERE lease_owner IS NOT NULL;
        ALTER TABLE scripts ADD COLUMN lease_owner text, ADD COLUMN lease_until bigint;
        """,
    ];

    /// <summary>The version this build brings a database to.</summary>
    public static int LatestVersion => Migrations.Count;
}
