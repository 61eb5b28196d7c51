using System.Text.Json;
using Butterfly.TestUtilities;
using Xunit;

namespace Butterfly.Cli.Tests.Operations;

/// <summary><c>backup</c>, <c>backup verify</c> and <c>restore</c> on a real data folder with no daemon (the CLI holds the folder itself).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BackupCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new("butterfly-cli-backup");
    private readonly string _config;

    public BackupCommandTests()
    {
        _config = _directory.Combine("butterfly.json");
        File.WriteAllText(_config, """
            { "dataDirectory": "data", "domains": ["example.org"],
              "passwords": { "cost": 4, "allowWeakHashingForTests": true } }
            """);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Backup_WithoutDaemon_CopiesDatabaseAndOtherFilesWithModesAndHashes()
    {
        var output = await BackupWithScriptAsync();

        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "manifest.json"))).RootElement;
        var files = manifest.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.Equal(["butterfly.db", "scripts/hello.js"], files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("0640", files["scripts/hello.js"].GetProperty("mode").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("rule();"u8)), files["scripts/hello.js"].GetProperty("sha256").GetString());
        Assert.Equal("0750", manifest.GetProperty("folders")[0].GetProperty("mode").GetString());
        Assert.Equal(Butterfly.Storage.Backup.DatabaseSnapshot.LatestSchemaVersion, manifest.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(output, "scripts", "hello.js")));

        var verify = await RunAsync("backup", "verify", output, "--json");
        Assert.Equal(0, verify.ExitCode);
        Assert.Equal("verified", JsonDocument.Parse(verify.Out).RootElement.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Verify_OneFlippedByte_NamesTheFileAndFails()
    {
        var output = await BackupWithScriptAsync();
        var database = Path.Combine(output, "butterfly.db");
        var bytes = await File.ReadAllBytesAsync(database);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(database, bytes);

        var verify = await RunAsync("backup", "verify", output);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("butterfly.db: its SHA-256 differs from the manifest's", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_FileAddedOrRemoved_IsReported()
    {
        var output = await BackupWithScriptAsync();
        File.Delete(Path.Combine(output, "scripts", "hello.js"));
        await File.WriteAllTextAsync(Path.Combine(output, "stray.txt"), "?");

        var verify = await RunAsync("backup", "verify", output);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("scripts/hello.js: missing", verify.Out, StringComparison.Ordinal);
        Assert.Contains("stray.txt: not in the manifest", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_IntoEmptyFolder_GivesTheDaemonsModesAndTheSameAccounts()
    {
        var output = await BackupWithScriptAsync();
        var target = _directory.Combine("restored");

        var restore = await RunAsync("restore", output, "--data", target);

        Assert.Equal(0, restore.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(target));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(target, "scripts")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(target, "scripts", "hello.js")));
        Assert.Equal("rule();", await File.ReadAllTextAsync(Path.Combine(target, "scripts", "hello.js")));
        var users = await new CliHarness().RunAsync("user", "list", "--json", "--config", _config, "--data", target);
        Assert.Equal(0, users.ExitCode);
        Assert.Equal("alice@example.org", JsonDocument.Parse(users.Out).RootElement[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task Restore_IntoFolderWithAnything_IsRefusedAndChangesNothing()
    {
        var output = await BackupWithScriptAsync();
        var target = _directory.Combine("occupied");
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "notes.txt"), "mine");

        var restore = await RunAsync("restore", output, "--data", target);

        Assert.Equal(1, restore.ExitCode);
        Assert.StartsWith("error: restore.not-empty: ", restore.Error, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Restore_DamagedBackup_RestoresNothing()
    {
        var output = await BackupWithScriptAsync();
        await File.AppendAllTextAsync(Path.Combine(output, "scripts", "hello.js"), " tampered");
        var target = _directory.Combine("restored");

        var restore = await RunAsync("restore", output, "--data", target);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("backup.invalid", restore.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    private async Task<string> BackupWithScriptAsync()
    {
        var added = await new CliHarness { Stdin = "password123\n" }.RunAsync("user", "add", "alice@example.org", "--password-stdin", "--config", _config);
        Assert.Equal(0, added.ExitCode);
        var scripts = _directory.Combine("data/scripts");
        Directory.CreateDirectory(scripts);
        File.SetUnixFileMode(scripts, (UnixFileMode)Convert.ToInt32("750", 8));
        var script = Path.Combine(scripts, "hello.js");
        await File.WriteAllTextAsync(script, "rule();");
        File.SetUnixFileMode(script, (UnixFileMode)Convert.ToInt32("640", 8));

        var output = _directory.Combine("backup");
        var backup = await new CliHarness().RunAsync("backup", output, "--config", _config);
        Assert.True(backup.ExitCode == 0, backup.Error);
        return output;
    }

    private static Task<CliRun> RunAsync(params string[] args) => new CliHarness().RunAsync(args);
}
