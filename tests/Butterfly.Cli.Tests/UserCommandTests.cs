using System.Text.Json;
using Xunit;

namespace Butterfly.Cli.Tests;

/// <summary><c>butterfly user ...</c> against a real data folder (SQLite), no daemon.</summary>
public sealed class UserCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "butterfly-cli-" + Guid.NewGuid().ToString("N"));
    private readonly string _config;

    public UserCommandTests()
    {
        Directory.CreateDirectory(_directory);
        _config = Path.Combine(_directory, "butterfly.json");
        File.WriteAllText(_config, """
            { "dataDirectory": "data", "domains": ["example.org"],
              "passwords": { "cost": 4, "allowWeakHashingForTests": true } }
            """);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task<CliRun> RunAsync(string stdin, params string[] args) =>
        new CliHarness { Stdin = stdin }.RunAsync([.. args, "--config", _config]);

    [Fact]
    public async Task AddListPasswdDel_RoundTrip()
    {
        var added = await RunAsync("password123\n", "user", "add", "Alice@Example.org", "--password-stdin");
        Assert.Equal(0, added.ExitCode);

        var again = await RunAsync("password123\n", "user", "add", "alice@example.org", "--password-stdin");
        Assert.Equal(1, again.ExitCode);
        Assert.StartsWith("error: account.exists: ", again.Error, StringComparison.Ordinal);

        var list = await RunAsync("", "user", "list", "--json");
        Assert.Equal(0, list.ExitCode);
        using (var document = JsonDocument.Parse(list.Out))
        {
            var account = Assert.Single(document.RootElement.EnumerateArray());
            Assert.Equal("alice@example.org", account.GetProperty("address").GetString());
            Assert.True(account.GetProperty("created").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        }

        var passwd = await RunAsync("another-pass\n", "user", "passwd", "alice@example.org", "--password-stdin");
        Assert.Equal(0, passwd.ExitCode);

        var deleted = await RunAsync("", "user", "del", "alice@example.org");
        Assert.Equal(0, deleted.ExitCode);

        var gone = await RunAsync("", "user", "del", "alice@example.org");
        Assert.Equal(1, gone.ExitCode);
        Assert.StartsWith("error: account.not-found: ", gone.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice@other.org")]
    [InlineData("no-at-sign")]
    [InlineData("@example.org")]
    public async Task Add_NotOnServedDomain_InvalidAddress(string address)
    {
        var run = await RunAsync("password123\n", "user", "add", address, "--password-stdin");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: account.invalid-address: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_ShortPassword_WeakPassword()
    {
        var run = await RunAsync("1234567\n", "user", "add", "bob@example.org", "--password-stdin");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: account.weak-password: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_BadConfig_ConfigError()
    {
        var run = await new CliHarness { Stdin = "password123\n" }.RunAsync("user", "add", "a@example.org", "--password-stdin", "--config", Path.Combine(_directory, "missing.json"));

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: config: ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user", "list")]
    [InlineData("user", "passwd", "alice@example.org", "--password-stdin")]
    [InlineData("user", "del", "alice@example.org")]
    [InlineData("queue", "list")]
    [InlineData("queue", "retry")]
    [InlineData("queue", "drop", "3")]
    public async Task DataFolderMissing_ErrorNamesItAndCreatesNothing(params string[] args)
    {
        var typo = Path.Combine(_directory, "typo");

        var run = await RunAsync("password123\n", [.. args, "--data", typo]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: data.not-found: No data folder {typo} (given by --data). 'butterfly serve' and 'butterfly user add' create it.\n", run.Error.ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(typo));
    }

    [Fact]
    public async Task DataFolderMissing_FromConfig_SaysSo()
    {
        var run = await RunAsync("", "user", "list");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"(dataDirectory in {_config})", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "data")));
    }

    [Fact]
    public async Task Add_DataFolderMissing_CreatesIt()
    {
        var fresh = Path.Combine(_directory, "fresh", "data");

        var added = await RunAsync("password123\n", "user", "add", "alice@example.org", "--password-stdin", "--data", fresh, "--json");
        var listed = await RunAsync("", "user", "list", "--data", fresh);

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Equal("alice@example.org", JsonDocument.Parse(added.Out).RootElement.GetProperty("address").GetString());
        Assert.True(Directory.Exists(fresh));
        Assert.Equal("alice@example.org\n", listed.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Add_BadAddressDataFolderMissing_RefusedAndCreatesNothing()
    {
        var fresh = Path.Combine(_directory, "fresh", "data");

        var run = await RunAsync("password123\n", "user", "add", "alice@other.org", "--password-stdin", "--data", fresh);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: account.invalid-address: 'other.org' is not a domain this server serves (example.org).\n", run.Error.ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(fresh));
    }

    [Fact]
    public async Task Passwd_UnknownAccount_RefusedBeforeAskingForAPassword()
    {
        await RunAsync("password123\n", "user", "add", "alice@example.org", "--password-stdin");

        // No password on stdin: asking for one would be a usage error (exit code 2).
        var run = await RunAsync("", "user", "passwd", "bob@example.org");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: account.not-found: No account bob@example.org.\n", run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Commands_NoDaemon_LeaveTheFolderFreeAndNoSocket()
    {
        await RunAsync("password123\n", "user", "add", "alice@example.org", "--password-stdin");
        var data = Path.Combine(_directory, "data");

        // The command held the folder while it worked, and let it go when done.
        Assert.True(File.Exists(Path.Combine(data, Butterfly.Storage.DataFolderLock.FileName)));
        Assert.True(Butterfly.Storage.DataFolderLock.TryAcquire(data, out var held));
        held.Dispose();
        Assert.False(File.Exists(Path.Combine(data, Butterfly.Server.Control.ControlSocket.FileName)));
    }

    [Fact]
    public async Task Del_Json_ErrorsAsJson()
    {
        await RunAsync("password123\n", "user", "add", "alice@example.org", "--password-stdin");

        var run = await RunAsync("", "user", "del", "bob@example.org", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("""{"error":{"code":"account.not-found","message":"No account bob@example.org."}}""" + "\n", run.Error.ReplaceLineEndings("\n"));
    }
}
