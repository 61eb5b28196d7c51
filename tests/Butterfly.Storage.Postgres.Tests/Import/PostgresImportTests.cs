using Butterfly.Storage.Postgres.Import;
using Butterfly.Storage.Tests;
using Butterfly.TestUtilities;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Butterfly.Storage.Postgres.Tests.Import;

/// <summary><see cref="PostgresImport"/>: a real SQLite store moved into a database of the private cluster and read back.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresImportTests(PrivatePostgres cluster) : IDisposable
{
    private readonly SqliteInstallation _installation = new();

    public void Dispose() => _installation.Dispose();

    [Fact]
    public async Task RunAsync_FilledStore_PostgresStoreShowsTheSameThroughItsApi()
    {
        var before = await _installation.FillAsync();
        var target = cluster.CreateDatabase();
        var reports = new List<ImportProgress>();

        var result = await PostgresImport.RunAsync(_installation.DatabasePath, Options(target), new Recorder(reports.Add));

        Assert.True(result.Ok, result.Detail);
        Assert.Empty(result.Mismatches);
        Assert.All(result.Tables, t => Assert.Equal(t.SourceRows, t.TargetRows));
        Assert.Equal(ImportSchemaTables, result.Tables.Select(t => t.Table));
        var contents = result.Tables.Single(t => t.Table == "contents");
        Assert.Equal(contents.SourceRows, result.ContentsVerified);
        Assert.True(contents.Bytes > 300_000);
        Assert.Equal(await ScalarAsync(target, "SELECT COUNT(*) FROM contents WHERE summarized"), result.SearchPending);
        Assert.Equal(0, await ScalarAsync(target, "SELECT COUNT(*) FROM contents WHERE search IS NOT NULL"));
        Assert.Contains(reports, r => r is { Table: "contents", Phase: ImportPhase.Copying, Done: true } && r.Bytes == contents.Bytes);
        Assert.Contains(reports, r => r is { Table: "session_tokens", Phase: ImportPhase.Verifying, Done: true });

        await using var store = await PostgresMailStore.OpenAsync(PostgresConformanceFixture.Options(target));
        var after = await SqliteInstallation.SnapshotAsync(Under(store), ["alice@example.org", "bob@example.org", "dörte@example.org"]);
        Assert.Equal(before.Split('\n'), after.Split('\n'));

        // The daemon's indexer hands the pending contents' text to the store; then search finds what SQLite found.
        Assert.Equal(result.SearchPending, await store.Search.PendingCountAsync());
        var pending = await store.Search.PendingAsync(1000);
        await store.Search.IndexPendingAsync([.. pending.Select(p => (p.ContentId, new ContentText("Hello", [], null, [])))]);
        Assert.Equal(0, await store.Search.PendingCountAsync());
        Assert.True(SearchQueryParser.TryParse("letter", out var query, out _));
        var alice = (await store.Accounts.FindAsync("alice@example.org"))!;
        var found = (await store.Search.SearchAsync(alice.Id, query, 100)).Value!.Messages.Select(m => (m.Folder, m.Id)).Order().ToList();
        await using var sqlite = await MailStore.OpenAsync(_installation.StoreOptions);
        var expected = (await sqlite.Search.SearchAsync(alice.Id, query, 100)).Value!.Messages.Select(m => (m.Folder, m.Id)).Order().ToList();
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected, found);
    }

    [Fact]
    public async Task RunAsync_AfterMigration_NewRowsContinuePastSqliteIds()
    {
        await _installation.FillAsync();
        long deletedId, deletedMessage;
        await using (var sqlite = await MailStore.OpenAsync(_installation.StoreOptions))
        {
            deletedId = Assert.Single(await sqlite.Accounts.ListAsync(), a => a.Address == "dörte@example.org").Id;
            Assert.True((await sqlite.Accounts.DeleteAsync("dörte@example.org")).Ok);
            var aliceId = (await sqlite.Accounts.FindAsync("alice@example.org"))!.Id;
            deletedMessage = (await sqlite.Messages.ListAsync(aliceId, "Inbox", null, 100)).Value!.Messages.Max(m => m.Id);
            Assert.True((await sqlite.Messages.DeleteAsync(aliceId, "Inbox", [deletedMessage])).Ok);
        }

        var target = cluster.CreateDatabase();
        Assert.True((await PostgresImport.RunAsync(_installation.DatabasePath, Options(target))).Ok);

        await using var store = await PostgresMailStore.OpenAsync(PostgresConformanceFixture.Options(target));
        var erin = await store.Accounts.CreateAsync("erin@example.org", "pw");
        Assert.True(erin.Ok, erin.Detail);
        Assert.True(erin.Value!.Id > deletedId, $"erin got id {erin.Value.Id}, which SQLite had given to a deleted account");
        var alice = (await store.Accounts.FindAsync("alice@example.org"))!;
        var copies = await Under(store).DeliverAsync(TestMessages.Delivery("after", new DeliveryTarget(alice.Id, "Inbox", MessageFlags.None)));
        Assert.Equal(deletedMessage + 1, Assert.Single(copies).Id);
        Assert.Equal(
            await ScalarAsync(target, "SELECT COALESCE(SUM(c.size), 0) FROM messages m JOIN folders f ON f.id = m.folder_id JOIN contents c ON c.id = m.content_id WHERE f.account_id = " + alice.Id),
            (await store.Quotas.GetAsync(alice.Id))!.Usage);
    }

    [Fact]
    public async Task RunAsync_TargetHoldsAnAccount_RefusedAndTargetUntouched()
    {
        await _installation.FillAsync();
        var target = cluster.CreateDatabase();
        await using (var store = await PostgresMailStore.OpenAsync(PostgresConformanceFixture.Options(target)))
        {
            Assert.True((await store.Accounts.CreateAsync("zoe@example.org", "pw")).Ok);
        }

        var result = await PostgresImport.RunAsync(_installation.DatabasePath, Options(target));

        Assert.Equal(ImportError.TargetNotEmpty, result.Error);
        Assert.Contains("already holds 1 account", result.Detail, StringComparison.Ordinal);
        Assert.Equal(1, await ScalarAsync(target, "SELECT COUNT(*) FROM accounts"));
        Assert.Equal(0, await ScalarAsync(target, "SELECT COUNT(*) FROM folders WHERE account_id != (SELECT id FROM accounts)"));
    }

    [Fact]
    public async Task RunAsync_DataFolderHeld_RefusedBeforeTouchingTarget()
    {
        await _installation.FillAsync();
        var target = cluster.CreateDatabase();
        using var held = DataFolderLock.Acquire(_installation.DataDirectory);

        var result = await PostgresImport.RunAsync(_installation.DatabasePath, Options(target));

        Assert.Equal(ImportError.SourceInUse, result.Error);
        Assert.Contains("stop the daemon", result.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await ScalarAsync(target, "SELECT COUNT(*) FROM pg_tables WHERE tablename = 'accounts'"));
    }

    [Fact]
    public async Task RunAsync_OlderSchemaVersion_Refused()
    {
        await _installation.FillAsync();
        ExecuteSqlite($"PRAGMA user_version = {Storage.Backup.DatabaseSnapshot.LatestSchemaVersion - 1}");

        var result = await PostgresImport.RunAsync(_installation.DatabasePath, Options(cluster.CreateDatabase()));

        Assert.Equal(ImportError.SourceSchema, result.Error);
        Assert.Contains("Start this build's daemon on it once", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NotADatabase_RefusedNamingThePath()
    {
        Directory.CreateDirectory(_installation.DataDirectory);
        await File.WriteAllTextAsync(_installation.DatabasePath, "these are not the pages of a SQLite database, only some text long enough to look for a header in it");

        var result = await PostgresImport.RunAsync(_installation.DatabasePath, Options(cluster.CreateDatabase()));

        Assert.Equal(ImportError.SourceSchema, result.Error);
        Assert.StartsWith($"{_installation.DatabasePath} cannot be read as a SQLite database: ", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoDatabase_SourceNotFound()
    {
        var result = await PostgresImport.RunAsync(_installation.DatabasePath, Options(cluster.CreateDatabase()));

        Assert.Equal(ImportError.SourceNotFound, result.Error);
        Assert.False(Directory.Exists(_installation.DataDirectory));
    }

    [Fact]
    public async Task RunAsync_ConstraintFailsMidway_RolledBackTargetEmpty()
    {
        await _installation.FillAsync();

        // A member of a list that does not exist: SQLite kept it, PostgreSQL's foreign key refuses it late in the copy.
        ExecuteSqlite("INSERT INTO list_members (list_id, address) VALUES (4242, 'orphan@example.org')");
        var target = cluster.CreateDatabase();

        var result = await PostgresImport.RunAsync(_installation.DatabasePath, Options(target));

        Assert.Equal(ImportError.CopyFailed, result.Error);
        Assert.Contains("in table list_members", result.Detail, StringComparison.Ordinal);
        Assert.Contains("4242", result.Detail, StringComparison.Ordinal);
        await AssertEmptyAsync(target);
    }

    [Fact]
    public async Task RunAsync_ValueDoesNotFit_NamesTheRowAndTargetEmpty()
    {
        await _installation.FillAsync();
        ExecuteSqlite("UPDATE queue SET delay_notified = 7 WHERE id = (SELECT MIN(id) FROM queue)");
        var target = cluster.CreateDatabase();

        var result = await PostgresImport.RunAsync(_installation.DatabasePath, Options(target));

        Assert.Equal(ImportError.CopyFailed, result.Error);
        Assert.Contains("delay_notified holds 7", result.Detail, StringComparison.Ordinal);
        await AssertEmptyAsync(target);
    }

    [Fact]
    public async Task RunAsync_ConnectionDroppedMidway_RolledBackTargetEmpty()
    {
        await _installation.FillAsync();
        var target = cluster.CreateDatabase();
        var name = "migrate-" + Guid.NewGuid().ToString("N")[..8];
        var options = Options(new NpgsqlConnectionStringBuilder(target) { ApplicationName = name }.ConnectionString);
        var dropped = false;

        // When contents are in (the COPY of that table not yet completed), the server ends the import's session.
        var result = await PostgresImport.RunAsync(_installation.DatabasePath, options, new Recorder(report =>
        {
            if (report is { Table: "contents", Phase: ImportPhase.Copying, Done: true } && !dropped)
            {
                dropped = true;
                using var connection = new NpgsqlConnection(Unpooled(target));
                connection.Open();
                using var command = new NpgsqlCommand("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @n", connection);
                command.Parameters.AddWithValue("n", name);
                Assert.Equal(1L, command.ExecuteScalar());
            }
        }));

        Assert.True(dropped);
        Assert.Equal(ImportError.CopyFailed, result.Error);
        Assert.Contains("in table contents", result.Detail, StringComparison.Ordinal);
        await AssertEmptyAsync(target);
    }

    [Fact]
    public async Task VerifyAsync_TargetContentAltered_ReportsTableAndId()
    {
        await _installation.FillAsync();
        var target = cluster.CreateDatabase();
        Assert.True((await PostgresImport.RunAsync(_installation.DatabasePath, Options(target))).Ok);
        var id = await ScalarAsync(target, "SELECT MIN(id) FROM contents");
        await ExecuteAsync(target, $"UPDATE contents SET data = data || '\\x00'::bytea WHERE id = {id}");
        await ExecuteAsync(target, "DELETE FROM session_tokens");

        await using var sqlite = await SqliteSource.OpenAsync(_installation.DatabasePath, default);
        await using var postgres = new NpgsqlConnection(Unpooled(target));
        await postgres.OpenAsync();
        var (tables, problem) = await ImportSchema.ReadAsync(sqlite, postgres, default);
        Assert.Null(problem);
        var totals = new Dictionary<string, SourceTotals>();
        foreach (var table in tables)
        {
            totals[table.Name] = await sqlite.TotalsAsync(table, default);
        }

        var (counts, mismatches, _) = await ImportVerifier.VerifyAsync(sqlite, postgres, tables, totals, [], new ProgressThrottle(null), default);

        var content = Assert.Single(mismatches, m => m.Table == "contents");
        Assert.Equal($"id={id}", content.Key);
        Assert.StartsWith("the SHA-256 of the bytes PostgreSQL holds is", content.Problem, StringComparison.Ordinal);
        var token = Assert.Single(mismatches, m => m.Table == "session_tokens");
        Assert.Equal("missing in the target", token.Problem);
        Assert.Equal((1, 0), counts.Where(c => c.Table == "session_tokens").Select(c => (c.SourceRows, c.TargetRows)).Single());
    }

    private static readonly IReadOnlyList<string> ImportSchemaTables = ImportSchema.CopyOrder;

    private static PostgresStoreOptions Options(string connectionString) => PostgresConformanceFixture.Options(connectionString);

    private static StoreUnderTest Under(PostgresMailStore s) =>
        new(s.Accounts, s.Folders, s.Messages, s.Deliveries, s.Quotas, s.Submissions, s.PeerRecords, s.Queue, s.Changes, s.Aliases, s.Lists, s.Scripts, s.SessionTokens, s.Search);

    private static string Unpooled(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    private static async Task AssertEmptyAsync(string target)
    {
        foreach (var table in ImportSchema.CopyOrder.Append("search_pending"))
        {
            Assert.True(await ScalarAsync(target, $"SELECT COUNT(*) FROM {table}") == 0, $"{table} kept rows of a failed migration");
        }
    }

    private static async Task<long> ScalarAsync(string target, string sql)
    {
        await using var connection = new NpgsqlConnection(Unpooled(target));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(string target, string sql)
    {
        await using var connection = new NpgsqlConnection(Unpooled(target));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private void ExecuteSqlite(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _installation.DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = new SqliteCommand("PRAGMA foreign_keys = OFF; " + sql, connection);
        command.ExecuteNonQuery();
    }

    // Reports on the importer's own thread, in order (Progress<T> would post them to the thread pool).
    private sealed class Recorder(Action<ImportProgress> onReport) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => onReport(value);
    }
}
