using Butterfly.Storage.Internal;
using Butterfly.TestUtilities;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Tests;

/// <summary>
/// Opening TestData/upgrade-schema-3 (a data folder written by main before schema 4: PBKDF2 hashes,
/// queue rows with their own bytes, a folder whose parent had no row) with this build.
/// </summary>
public sealed class UpgradeTests
{
    private static readonly string Schema3Database = Path.Combine(AppContext.BaseDirectory, "TestData", "upgrade-schema-3", "butterfly.db");

    [Fact]
    public async Task OpenAsync_Schema3Folder_KeepsAccountsFoldersFlagsBytesAndQueue()
    {
        var directory = CopySchema3();
        var (messageBytes, queueBytes) = ReadOldBytes(directory);
        await using var fixture = await StoreFixture.OpenExistingAsync(directory);
        var store = fixture.Store;

        Assert.Equal(SchemaMigrations.LatestVersion, Database.Scalar(fixture, "PRAGMA user_version"));
        Assert.Equal(["alice@a.example", "bob@a.example", "carol@a.example"], (await store.Accounts.ListAsync()).Select(a => a.Address));
        var bob = (await store.Accounts.FindAsync("bob@a.example"))!;
        var bobFolders = (await store.Folders.ListAsync(bob.Id)).ToDictionary(f => f.Name);
        Assert.Equal((2L, 1L), (bobFolders["Inbox"].Messages, bobFolders["Inbox"].Unseen));
        Assert.Equal((1L, 0L), (bobFolders["Archive/2026"].Messages, bobFolders["Archive/2026"].Unseen));
        Assert.Equal(0L, bobFolders["Archive"].Messages);

        var archived = (await store.Messages.FetchAsync(bob.Id, "Archive/2026", 1)).Value!;
        Assert.Equal(("Lunch?", MessageFlags.Seen | MessageFlags.Flagged), (archived.Item.Summary.Subject, archived.Item.Flags));
        var inbox = (await store.Messages.ListAsync(bob.Id, "Inbox", null, 10)).Value!.Messages;
        Assert.Equal([("Rapport été", MessageFlags.None), ("Minutes", MessageFlags.Seen)], inbox.Select(m => (m.Summary.Subject!, m.Flags)));
        var alice = (await store.Accounts.FindAsync("alice@a.example"))!;
        Assert.Equal(4, (await store.Messages.ListAsync(alice.Id, "Sent", null, 10)).Value!.Total);

        foreach (var ((account, folder, id), bytes) in messageBytes)
        {
            Assert.Equal(bytes, (await store.Messages.FetchAsync(account, folder, id)).Value!.Content);
        }

        var queue = await store.Queue.ListAsync();
        Assert.Equal([1L, 2L], queue.Select(q => q.Id));
        Assert.Equal((QueueKind.Outbound, "b.example", 1), (queue[0].Kind, queue[0].Domain, queue[0].Attempts));
        Assert.Equal(["dave@b.example", "erin@b.example"], queue[0].Recipients);
        Assert.Equal((QueueKind.Inbound, "bob@a.example"), (queue[1].Kind, queue[1].Sender));
        Assert.Equal(["carol@a.example"], queue[1].Recipients);
        Assert.Contains("spam", queue[1].Meta, StringComparison.Ordinal);
        foreach (var entry in queue)
        {
            Assert.Equal(queueBytes[entry.Id], await store.Queue.ReadContentAsync(entry.Id));
            Assert.Equal(queueBytes[entry.Id].Length, entry.Size);
        }

        // Both queued messages are the bytes of their senders' Sent copies: stored once now.
        Assert.Equal(6, Database.Scalar(fixture, "SELECT COUNT(*) FROM contents"));

        // New queue entries continue the old ids.
        var next = await store.Deliveries.CommitAsync(new DeliveryCommit(DateTimeOffset.UtcNow)
        {
            Enqueue = [new QueueEntry(QueueKind.Outbound, "after-upgrade", "b.example", alice.Address, alice.Id, ["dave@b.example"], 0, DateTimeOffset.UtcNow, TestMessages.Bytes("new"))],
        });
        Assert.Equal(3, next.Value!.QueueIds[0]);
    }

    [Fact]
    public async Task AuthenticateAsync_Schema3Pbkdf2Hash_LogsInAndBecomesBcrypt()
    {
        await using var fixture = await StoreFixture.OpenExistingAsync(CopySchema3());

        Assert.False((await fixture.Store.Accounts.AuthenticateAsync("carol@a.example", "wrong")).Ok);
        Assert.StartsWith("pbkdf2-sha256$600000$", Database.Text(fixture, "SELECT password_hash FROM accounts WHERE address = 'carol@a.example'"), StringComparison.Ordinal);
        Assert.True((await fixture.Store.Accounts.AuthenticateAsync("carol@a.example", "carol-password")).Ok);

        var hash = Database.Text(fixture, "SELECT password_hash FROM accounts WHERE address = 'carol@a.example'")!;
        Assert.Matches(@"^\$2[abxy]\$04\$", hash);
        Assert.True((await fixture.Store.Accounts.AuthenticateAsync("carol@a.example", "carol-password")).Ok);
        Assert.StartsWith("pbkdf2-sha256$", Database.Text(fixture, "SELECT password_hash FROM accounts WHERE address = 'bob@a.example'"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_MigrationFails_LeavesSchema3Intact()
    {
        using var directory = CopySchema3();
        var options = StoreFixture.Options(directory);

        // An injected failure in the middle of the migration: after the schema changes began, while the
        // queue's bytes move into contents.
        Execute(directory, "CREATE TRIGGER fail_migration BEFORE INSERT ON contents BEGIN SELECT RAISE(ABORT, 'injected failure'); END");

        var failure = await Assert.ThrowsAsync<SqliteException>(() => MailStore.OpenAsync(options));

        Assert.Contains("injected failure", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3L, Scalar(directory, "PRAGMA user_version"));
        Assert.Equal(2L, Scalar(directory, "SELECT COUNT(*) FROM queue WHERE length(data) > 0"));
        Assert.Equal(0L, Scalar(directory, "SELECT COUNT(*) FROM pragma_table_info('contents') WHERE name = 'summarized'"));
        Assert.Equal(0L, Scalar(directory, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'queue_v4'"));
        Assert.Equal(0L, Scalar(directory, "SELECT COUNT(*) FROM folders WHERE name = 'Archive'"));
        Assert.Equal(16L, Scalar(directory, "SELECT COUNT(*) FROM folders"));

        // With the fault gone the same folder upgrades.
        Execute(directory, "DROP TRIGGER fail_migration");
        await using (var store = await MailStore.OpenAsync(options))
        {
            Assert.Equal(2, (await store.Queue.ListAsync()).Count);
        }

        Assert.Equal(SchemaMigrations.LatestVersion, Scalar(directory, "PRAGMA user_version"));
    }

    private static TempDirectory CopySchema3()
    {
        var directory = new TempDirectory("butterfly-upgrade");
        File.Copy(Schema3Database, directory.Combine("butterfly.db"));
        return directory;
    }

    private static (Dictionary<(long Account, string Folder, long Id), byte[]> Messages, Dictionary<long, byte[]> Queue) ReadOldBytes(TempDirectory directory)
    {
        using var connection = Open(directory);
        var messages = new Dictionary<(long, string, long), byte[]>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT f.account_id, f.name, m.id, c.data FROM messages m JOIN folders f ON f.id = m.folder_id JOIN contents c ON c.id = m.content_id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                messages.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)), reader.GetFieldValue<byte[]>(3));
            }
        }

        var queue = new Dictionary<long, byte[]>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, data FROM queue";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                queue.Add(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));
            }
        }

        Assert.Equal(11, messages.Count);
        Assert.Equal(2, queue.Count);
        return (messages, queue);
    }

    private static SqliteConnection Open(TempDirectory directory)
    {
        SqliteEnvironment.EnsureInitialized();
        var connection = new SqliteConnection($"Data Source={directory.Combine("butterfly.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(TempDirectory directory, string sql)
    {
        using var connection = Open(directory);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(TempDirectory directory, string sql)
    {
        using var connection = Open(directory);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
