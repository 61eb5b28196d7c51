using Butterfly.Storage.Internal;
using Butterfly.TestUtilities;

namespace Butterfly.Storage.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task OpenAsync_NewDirectory_CreatesDatabaseAtLatestVersionInWalMode()
    {
        using var parent = new TempDirectory();
        var options = new StoreOptions
        {
            DataDirectory = parent.Combine("nested/data"),
            PasswordCost = 4,
            AllowWeakPasswordHashingForTests = true,
        };

        await using (var store = await MailStore.OpenAsync(options))
        {
            Assert.True(File.Exists(options.DatabasePath));
        }

        await using var fixture = await StoreFixture.CreateAsync();
        Assert.Equal(SchemaMigrations.LatestVersion, Database.Scalar(fixture, "PRAGMA user_version"));
        Assert.Equal("wal", Database.Text(fixture, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task ReopenAsync_KeepsAccountsFoldersAndMessages()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        await fixture.Store.Folders.CreateAsync(alice.Id, "Projects/Butterfly");
        await fixture.Store.DeliverAsync(TestMessages.Delivery("kept", new DeliveryTarget(alice.Id, "Inbox", MessageFlags.None)));

        await fixture.ReopenAsync();

        Assert.True((await fixture.Store.Accounts.AuthenticateAsync("alice@example.org", "secret")).Ok);
        Assert.Contains(await fixture.Store.Folders.ListAsync(alice.Id), f => f.Name == "Projects/Butterfly");
        var message = await fixture.Store.Messages.FetchAsync(alice.Id, "Inbox", 1);
        Assert.True(message.Ok);
        Assert.Equal("kept", message.Value!.Item.Summary.Subject);
    }

    [Fact]
    public async Task Migrations_AppliedAgain_AreIdempotent()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        await fixture.CreateAccountAsync();
        await fixture.Store.DisposeAsync();

        using (var session = SqliteSession.Open(StoreFixture.Options(fixture.Directory), readOnly: false))
        {
            Assert.Equal(SchemaMigrations.LatestVersion, SchemaMigrations.Apply(session));
            Assert.Equal(SchemaMigrations.LatestVersion, SchemaMigrations.Apply(session));
        }

        await fixture.ReopenAsync();
        Assert.Single(await fixture.Store.Accounts.ListAsync());
        Assert.Equal(SchemaMigrations.LatestVersion, Database.Scalar(fixture, "PRAGMA user_version"));
    }

    [Fact]
    public async Task OpenAsync_SchemaNewerThanBuild_Throws()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        await fixture.Store.DisposeAsync();
        using (var session = SqliteSession.Open(StoreFixture.Options(fixture.Directory), readOnly: false))
        {
            session.Execute($"PRAGMA user_version = {SchemaMigrations.LatestVersion + 1}");
        }

        await Assert.ThrowsAsync<StoreException>(() => MailStore.OpenAsync(StoreFixture.Options(fixture.Directory)));

        using (var session = SqliteSession.Open(StoreFixture.Options(fixture.Directory), readOnly: false))
        {
            session.Execute($"PRAGMA user_version = {SchemaMigrations.LatestVersion}");
        }

        await fixture.ReopenAsync();
    }

    [Theory]
    [InlineData(false, 9)]
    [InlineData(true, 3)]
    [InlineData(true, 21)]
    public async Task OpenAsync_PasswordCostOutOfRange_Throws(bool weakAllowed, int cost)
    {
        using var directory = new TempDirectory();
        var options = new StoreOptions
        {
            DataDirectory = directory.Path,
            PasswordCost = cost,
            AllowWeakPasswordHashingForTests = weakAllowed,
        };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => MailStore.OpenAsync(options));
    }

    [Fact]
    public async Task OpenAsync_Defaults_CostElevenFloorTen()
    {
        using var directory = new TempDirectory();
        await using (var store = await MailStore.OpenAsync(new StoreOptions { DataDirectory = directory.Path }))
        {
            Assert.Equal(11, store.Options.PasswordCost);
        }

        await using var atFloor = await MailStore.OpenAsync(new StoreOptions { DataDirectory = directory.Path, PasswordCost = 10 });
        Assert.Equal(10, atFloor.Options.PasswordCost);
    }

    [Fact]
    public async Task WriterConnection_IsDurableAndWaitsForLocks()
    {
        await using var fixture = await StoreFixture.CreateAsync();

        var (synchronous, busyTimeout, journal) = await fixture.Store.Writer.EnqueueAsync(
            context => (
                context.Command("PRAGMA synchronous").ScalarInt64(),
                context.Command("PRAGMA busy_timeout").ScalarInt64(),
                context.Command("PRAGMA journal_mode").ExecuteScalar() as string),
            default);

        Assert.Equal(2, synchronous); // FULL: every commit syncs the WAL before the writer completes its tasks.
        Assert.Equal(5000, busyTimeout);
        Assert.Equal("wal", journal);
    }

    [Fact]
    public async Task OpenAsync_Version1Database_MigratesAndBackfillsCounters()
    {
        using var directory = new TempDirectory();
        var options = StoreFixture.Options(directory);
        using (var session = SqliteSession.Open(options, readOnly: false))
        {
            session.Execute("PRAGMA journal_mode = WAL");
            session.Execute(SchemaMigrations.Sql[0]);
            session.Execute("""
                INSERT INTO accounts (id, address, password_hash, created, modseq) VALUES (1, 'old@example.org', 'x', 0, 3);
                INSERT INTO folders (id, account_id, name, next_id, modseq) VALUES (1, 1, 'Inbox', 4, 3);
                INSERT INTO contents (id, sha256, size, data) VALUES (1, x'01', 1, x'41');
                INSERT INTO messages (folder_id, id, content_id, flags, received, modseq) VALUES (1, 1, 1, 1, 0, 1), (1, 2, 1, 0, 0, 2), (1, 3, 1, 2, 0, 3);
                PRAGMA user_version = 1;
                """);
        }

        await using var store = await MailStore.OpenAsync(options);

        var inbox = Assert.Single(await store.Folders.ListAsync(1));
        Assert.Equal(new FolderInfo("Inbox", 3, 2, 4, 3), inbox);
        Assert.Equal(3, (await store.Messages.ListAsync(1, "Inbox", null, 10)).Value!.Total);
    }
}
