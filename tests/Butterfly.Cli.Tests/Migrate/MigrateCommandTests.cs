using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.Storage;
using Butterfly.Storage.Postgres;
using Butterfly.TestUtilities;
using Npgsql;
using Xunit;

namespace Butterfly.Cli.Tests.Migrate;

/// <summary><c>butterfly migrate</c> as a real process: a data folder made by the SQLite store, moved into a private PostgreSQL cluster.</summary>
public sealed class MigrateCommandTests(PrivatePostgres cluster) : IClassFixture<PrivatePostgres>, IDisposable
{
    private static readonly DateTimeOffset Received = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Letter = Encoding.UTF8.GetBytes("From: alice@example.org\r\nTo: bob@example.org\r\nSubject: Grüße\r\n\r\nHello\r\n");

    private readonly TempDirectory _directory = new("butterfly-cli-migrate");

    private string DataDirectory => _directory.Combine("data");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Migrate_DataFolder_MovesVerifiesAndPrintsProgressOnStderr()
    {
        await FillAsync();
        var target = cluster.CreateDatabase();

        var run = await CliProcess.RunAsync(["migrate", "--from", "sqlite:" + DataDirectory, "--to", "postgres:" + target]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("copying accounts: 2/2 rows", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"copying contents: 1/1 rows, 0.0/0.0 MB", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("verifying messages: 2/2 rows", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"migrated {Path.Combine(DataDirectory, "butterfly.db")} to PostgreSQL {PostgresMailStore.Describe(target)}", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("verified: every row compared, 1 content hashes recomputed", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Username=", run.Stdout + run.Stderr, StringComparison.Ordinal);

        await using var store = await PostgresMailStore.OpenAsync(new PostgresStoreOptions { ConnectionString = target, PasswordCost = 4, AllowWeakPasswordHashingForTests = true });
        Assert.Equal(["alice@example.org", "bob@example.org"], (await store.Accounts.ListAsync()).Select(a => a.Address));
        var bob = (await store.Accounts.AuthenticateAsync("bob@example.org", "pw-bob")).Value!;
        var item = Assert.Single((await store.Messages.ListAsync(bob.Id, "Inbox", null, 10)).Value!.Messages);
        Assert.Equal(MessageFlags.Seen, item.Flags);
        Assert.Equal(Letter, (await store.Messages.FetchAsync(bob.Id, "Inbox", item.Id)).Value!.Content);
    }

    [Fact]
    public async Task Migrate_ThenDaemonOnPostgres_ServesTheMailAndIndexesItForSearch()
    {
        await FillAsync();
        var target = cluster.CreateDatabase();
        var migrated = await CliProcess.RunAsync(["migrate", "--from", "sqlite:" + DataDirectory, "--to", "postgres:" + target]);
        Assert.True(migrated.ExitCode == 0, migrated.ToString());

        var config = DaemonProcess.WriteConfig(_directory.Path, configure: c => c["store"] = new JsonObject { ["kind"] = "postgres", ["connectionString"] = target });
        await using var daemon = await DaemonProcess.StartAsync(config);
        string[] bob = ["--server", daemon.EndPoint, "--user", "bob@example.org", "--password", "pw-bob"];

        var list = await CliProcess.RunAsync(["list", .. bob]);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("Grüße", list.Stdout, StringComparison.Ordinal);

        // Search vectors were left to the daemon's background indexer (search_pending).
        await Eventually.TrueAsync(
            async () => (await CliProcess.RunAsync(["search", "hello", .. bob])).Stdout.Contains("Grüße", StringComparison.Ordinal),
            "the migrated message found by a word of its body");
        Assert.Equal(0, await ScalarAsync(target, "SELECT COUNT(*) FROM search_pending"));
    }

    [Fact]
    public async Task Migrate_DatabaseFileWithJson_PrintsCountsAsJson()
    {
        await FillAsync();

        var run = await CliProcess.RunAsync(["migrate", "--from", "sqlite:" + Path.Combine(DataDirectory, "butterfly.db"), "--to", "postgres:" + cluster.CreateDatabase(), "--json"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal("migrated", result.GetProperty("outcome").GetString());
        Assert.Equal(1, result.GetProperty("contentsVerified").GetInt64());
        var accounts = result.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "accounts");
        Assert.Equal(2, accounts.GetProperty("targetRows").GetInt64());
        Assert.All(
            run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            line => Assert.True(JsonDocument.Parse(line).RootElement.TryGetProperty("progress", out _), line));
    }

    [Fact]
    public async Task Migrate_DaemonRunning_RefusedAndTargetUntouched()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path);
        var target = cluster.CreateDatabase();
        await using (var daemon = await DaemonProcess.StartAsync(config))
        {
            var run = await CliProcess.RunAsync(["migrate", "--from", "sqlite:" + DataDirectory, "--to", "postgres:" + target]);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("error: data.in-use: ", run.Stderr, StringComparison.Ordinal);
            Assert.Contains("stop the daemon", run.Stderr, StringComparison.Ordinal);
            Assert.Equal(0, await ScalarAsync(target, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"));
            Assert.Equal(0, await daemon.StopAsync());
        }

        var after = await CliProcess.RunAsync(["migrate", "--from", "sqlite:" + DataDirectory, "--to", "postgres:" + target]);
        Assert.True(after.ExitCode == 0, after.ToString());
    }

    [Fact]
    public async Task Migrate_AfterDaemonKilled_MovesWhatItsLogHeld()
    {
        // Accounts added through the running daemon, then SIGKILL: what they wrote may be only in the WAL.
        var config = DaemonProcess.WriteConfig(_directory.Path);
        await using (var daemon = await DaemonProcess.StartAsync(config))
        {
            foreach (var address in (string[])["alice@example.org", "bob@example.org", "carol@example.org"])
            {
                var added = await CliProcess.RunAsync(["user", "add", address, "--config", config, "--password-stdin"], stdin: "pw-" + address + "\n");
                Assert.True(added.ExitCode == 0, added.ToString());
            }

            await daemon.KillAsync();
        }

        var target = cluster.CreateDatabase();
        var run = await CliProcess.RunAsync(["migrate", "--from", "sqlite:" + DataDirectory, "--to", "postgres:" + target]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(3, await ScalarAsync(target, "SELECT COUNT(*) FROM accounts"));
    }

    [Fact]
    public async Task Migrate_TargetHoldsMail_ExitsOneAndSaysSo()
    {
        await FillAsync();
        var target = cluster.CreateDatabase();
        Assert.Equal(0, (await CliProcess.RunAsync(["migrate", "--from", "sqlite:" + DataDirectory, "--to", "postgres:" + target])).ExitCode);

        var again = await CliProcess.RunAsync(["migrate", "--from", "sqlite:" + DataDirectory, "--to", "postgres:" + target]);

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("error: migrate.target-not-empty: The PostgreSQL database already holds 2 accounts", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, await ScalarAsync(target, "SELECT COUNT(*) FROM accounts"));
    }

    [Theory]
    [InlineData("--from", "/var/lib/butterfly", "--from takes sqlite:PATH")]
    [InlineData("--to", "Host=db;Database=butterfly", "--to takes postgres:CONNSTRING")]
    [InlineData("--to", "postgres:Hots=db", "--to: not an Npgsql connection string")]
    public async Task Migrate_MalformedEndpoint_UsageError(string option, string value, string expected)
    {
        string[] args = option == "--from"
            ? ["migrate", "--from", value, "--to", "postgres:Host=127.0.0.1"]
            : ["migrate", "--from", "sqlite:" + DataDirectory, "--to", value];

        var run = await CliProcess.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: usage: " + expected, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_EmptyDataFolder_ExitsOneNamingTheDatabaseFile()
    {
        Directory.CreateDirectory(DataDirectory);

        var run = await CliProcess.RunAsync(["migrate", "--from", "sqlite:" + DataDirectory, "--to", "postgres:" + cluster.CreateDatabase()]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: migrate.not-found: No SQLite database at {Path.Combine(DataDirectory, "butterfly.db")}.", run.Stderr, StringComparison.Ordinal);
    }

    // Two accounts and one letter to both (one content row, two message rows), Seen in bob's Inbox.
    private async Task FillAsync()
    {
        await using var store = await MailStore.OpenAsync(new StoreOptions { DataDirectory = DataDirectory, PasswordCost = 4, AllowWeakPasswordHashingForTests = true });
        var alice = (await store.Accounts.CreateAsync("alice@example.org", "pw-alice")).Value!;
        var bob = (await store.Accounts.CreateAsync("bob@example.org", "pw-bob")).Value!;
        var summary = new ContentSummary("alice@example.org", ["bob@example.org"], [], "Grüße", Received, "<g@example.org>");
        var commit = await store.Deliveries.CommitAsync(new DeliveryCommit(Received)
        {
            Copies = [new ContentCopies(Letter, summary, [new DeliveryTarget(alice.Id, "Sent", MessageFlags.Seen), new DeliveryTarget(bob.Id, "Inbox", MessageFlags.Seen)])],
        });
        Assert.True(commit.Ok, commit.Detail);
    }

    private static async Task<long> ScalarAsync(string target, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
