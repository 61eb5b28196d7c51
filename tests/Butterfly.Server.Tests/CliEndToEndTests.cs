using System.Text.Json;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests;

/// <summary>The README's walkthrough, through the real <c>butterfly</c> executable against the real daemon.</summary>
public sealed class CliEndToEndTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("butterfly-cli");
    private string _config = string.Empty;
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        _config = DaemonProcess.WriteConfig(_directory.Path, ["example.org"]);
        _daemon = await DaemonProcess.StartAsync(_config);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Walkthrough_AddUsersSendListReadFileFlagDelete_SurvivesRestart()
    {
        await Ok(["user", "add", "alice@example.org", "--password-stdin", "--config", _config], stdin: "alice-password\n");
        await Ok(["user", "add", "bob@example.org", "--password-stdin", "--config", _config], stdin: "bob-password\n");
        var users = JsonDocument.Parse((await Ok(["user", "list", "--json", "--config", _config])).Stdout).RootElement;
        Assert.Equal(["alice@example.org", "bob@example.org"], users.EnumerateArray().Select(u => u.GetProperty("address").GetString()).Order());

        // An address on a domain the server does not serve is refused by the admin command too.
        var foreign = await CliProcess.RunAsync(["user", "add", "eve@elsewhere.example", "--password-stdin", "--config", _config], "long-password\n");
        Assert.NotEqual(0, foreign.ExitCode);
        Assert.Contains("account.invalid-address", foreign.Stderr, StringComparison.Ordinal);

        var alice = As("alice@example.org", "alice-password");
        var bob = As("bob@example.org", "bob-password");

        var sent = await Ok(["send", "--to", "bob@example.org", "--subject", "Lunch?", "--body", "Noon at the café?", "--json"], alice);
        Assert.True(JsonDocument.Parse(sent.Stdout).RootElement.TryGetProperty("messageId", out _), sent.ToString());

        var list = await Ok(["list", "--json"], bob);
        var message = Messages(list.Stdout).Single();
        Assert.Equal("Lunch?", message.GetProperty("subject").GetString());
        var id = message.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var table = await Ok(["list"], bob);
        Assert.Contains("Lunch?", table.Stdout, StringComparison.Ordinal);

        var read = await Ok(["read", id], bob);
        Assert.Contains("Noon at the café?", read.Stdout, StringComparison.Ordinal);
        Assert.Contains("alice@example.org", read.Stdout, StringComparison.Ordinal);
        var raw = await Ok(["read", id, "--raw"], bob);
        Assert.StartsWith("Received: ", raw.Stdout, StringComparison.Ordinal);

        await Ok(["folder", "create", "Lunch"], bob);
        await Ok(["copy", id, "--to", "Lunch"], bob);
        await Ok(["folder", "rename", "Lunch", "Archive/Lunch"], bob);
        var moved = JsonDocument.Parse((await Ok(["move", id, "--to", "Archive/Lunch", "--json"], bob)).Stdout).RootElement;
        var newId = moved.GetProperty("ids").GetProperty(id).GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Ok(["flag", newId, "--folder", "Archive/Lunch", "--add", "flagged"], bob);

        var folders = await Ok(["folders", "--json"], bob);
        Assert.Contains("Archive/Lunch", folders.Stdout, StringComparison.Ordinal);

        // A refusal prints the server's code and exits non-zero; nothing changes.
        var refused = await CliProcess.RunAsync(["folder", "delete", "Archive/Lunch"], environment: bob);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("folder.not-empty", refused.Stderr, StringComparison.Ordinal);
        var wrong = await CliProcess.RunAsync(["list"], environment: As("bob@example.org", "not-the-password"));
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("auth.failed", wrong.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, await _daemon.StopAsync());
        await _daemon.DisposeAsync();
        _daemon = await DaemonProcess.StartAsync(_config);
        alice = As("alice@example.org", "alice-password");
        bob = As("bob@example.org", "bob-password");

        var archived = Messages((await Ok(["list", "--folder", "Archive/Lunch", "--json"], bob)).Stdout).ToList();
        Assert.Equal(2, archived.Count);
        Assert.Contains(archived, m => m.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "flagged"));
        await Ok(["delete", newId, "--folder", "Archive/Lunch"], bob);
        Assert.Single(Messages((await Ok(["list", "--folder", "Trash", "--json"], bob)).Stdout));
        await Ok(["folder", "delete", "Archive", "--recursive"], bob);
        Assert.DoesNotContain("Archive", (await Ok(["folders"], bob)).Stdout, StringComparison.Ordinal);

        // Operator commands work while the daemon runs: change a password, delete a user.
        await Ok(["user", "passwd", "bob@example.org", "--password-stdin", "--config", _config], stdin: "new-bob-password\n");
        await Ok(["list"], As("bob@example.org", "new-bob-password"));
        await Ok(["user", "del", "alice@example.org", "--config", _config]);
        var gone = await CliProcess.RunAsync(["list"], environment: alice);
        Assert.Contains("auth.failed", gone.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_EveryCommand_ExitsZeroWithUsage()
    {
        string[][] commands =
        [
            [], ["serve"], ["user", "add"], ["user", "list"], ["user", "passwd"], ["user", "del"], ["send"], ["list"], ["read"],
            ["folders"], ["folder", "create"], ["folder", "rename"], ["folder", "delete"], ["move"], ["copy"], ["delete"],
            ["flag"], ["bench", "ping"], ["bench", "send"], ["bench", "relay"], ["register"], ["queue", "list"], ["queue", "retry"], ["queue", "drop"],
            ["account"], ["passwd"], ["quota", "set"], ["quota", "show"], ["alias", "add"], ["alias", "list"], ["alias", "del"],
            ["mailing-list", "create"], ["mailing-list", "add"], ["mailing-list", "remove"], ["mailing-list", "show"],
            ["mailing-list", "policy"], ["mailing-list", "delete"],
            ["search"], ["thread"],
        ];
        foreach (var command in commands)
        {
            var result = await CliProcess.RunAsync([.. command, "--help"]);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)} --help: {result}");
            Assert.Contains(string.Join(' ', ["Usage:\n  butterfly", .. command]), result.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_CliAndReceivedTrace_SameBuildVersion()
    {
        await Ok(["user", "add", "alice@example.org", "--password-stdin", "--config", _config], stdin: "alice-password\n");
        var alice = As("alice@example.org", "alice-password");
        await Ok(["send", "--to", "alice@example.org", "--body", "hi"], alice);

        var version = (await Ok(["--version"])).Stdout.Trim();
        var raw = (await Ok(["read", "1", "--raw"], alice)).Stdout;

        Assert.Matches(@"^butterfly \d+\.\d+\.\d+$", version);
        Assert.Contains($"(Butterfly {version["butterfly ".Length..]})", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FolderCreateAndRename_NameTheServerChanges_PrintTheStoredName()
    {
        await Ok(["user", "add", "alice@example.org", "--password-stdin", "--config", _config], stdin: "alice-password\n");
        var alice = As("alice@example.org", "alice-password");

        var created = await Ok(["folder", "create", " Work / Projects "], alice);
        var renamed = await Ok(["folder", "rename", "Work/Projects", "inbox/ Projects "], alice);
        var json = await Ok(["folder", "create", " Lists ", "--json"], alice);

        Assert.Equal("created Work/Projects", created.Stdout.Trim());
        Assert.Equal("renamed Work/Projects to Inbox/Projects", renamed.Stdout.Trim());
        Assert.Equal("Lists", JsonDocument.Parse(json.Stdout).RootElement.GetProperty("created").GetString());
        Assert.Contains("Inbox/Projects", (await Ok(["folders"], alice)).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonAscii_RealProcess_PrintedAsUtf8EverywhereAlike()
    {
        const string text = "Noon at the café? 🦋";
        await Ok(["user", "add", "alice@example.org", "--password-stdin", "--config", _config], stdin: "alice-password\n");
        var alice = As("alice@example.org", "alice-password");
        await Ok(["send", "--to", "alice@example.org", "--subject", text, "--body", text], alice);

        var list = await Ok(["list", "--json"], alice);
        var read = await Ok(["read", "1", "--json"], alice);
        var table = await Ok(["read", "1", "--keep-unseen"], alice);
        var refused = await CliProcess.RunAsync(["user", "del", "zoë🦋@example.org", "--json", "--config", _config]);

        Assert.Contains(text, list.Stdout, StringComparison.Ordinal);
        Assert.Contains(text, read.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Subject: {text}", table.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("No account zoë🦋@example.org.", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", list.Stdout + read.Stdout + refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("account.not-found", JsonDocument.Parse(refused.Stderr).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task SearchThreadAndListThreads_RealProcess_FindAndGroup()
    {
        await Ok(["user", "add", "alice@example.org", "--password-stdin", "--config", _config], stdin: "alice-password\n");
        await Ok(["user", "add", "bob@example.org", "--password-stdin", "--config", _config], stdin: "bob-password\n");
        var alice = As("alice@example.org", "alice-password");
        var bob = As("bob@example.org", "bob-password");
        await Ok(["send", "--to", "bob@example.org", "--subject", "Lunch?", "--body", "Noon at the café downstairs?"], alice);
        await Ok(["send", "--to", "alice@example.org", "--subject", "Re: Lunch?", "--body", "Yes, noon."], bob);
        await Ok(["send", "--to", "bob@example.org", "--subject", "Minutes", "--body", "Budget approved."], alice);

        var json = JsonDocument.Parse((await Ok(["search", "from:alice", "café", "--json"], bob)).Stdout).RootElement;
        var hit = Assert.Single(json.GetProperty("messages").EnumerateArray());
        Assert.Equal("Lunch?", hit.GetProperty("subject").GetString());
        Assert.Equal("Inbox", hit.GetProperty("folder").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("next").ValueKind);

        var table = (await Ok(["search", "\"budget approved\""], bob)).Stdout;
        Assert.Contains("Minutes", table, StringComparison.Ordinal);
        Assert.Contains("1 match", table, StringComparison.Ordinal);
        Assert.Empty(Messages((await Ok(["search", "noon", "--folder", "Trash", "--json"], bob)).Stdout));

        var id = hit.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var thread = Messages((await Ok(["thread", id, "--json"], bob)).Stdout).ToList();
        Assert.Equal(["Lunch?", "Re: Lunch?"], thread.Select(m => m.GetProperty("subject").GetString()));
        Assert.Equal(["Inbox", "Sent"], thread.Select(m => m.GetProperty("folder").GetString()));

        var threads = JsonDocument.Parse((await Ok(["list", "--threads", "--json"], bob)).Stdout).RootElement.GetProperty("threads").EnumerateArray().ToList();
        Assert.Equal(["Minutes", "Lunch?"], threads.Select(t => t.GetProperty("latest").GetProperty("subject").GetString()));
        Assert.Contains("2 threads in Inbox", (await Ok(["list", "--threads"], bob)).Stdout, StringComparison.Ordinal);

        var refused = await CliProcess.RunAsync(["search", "is:sometimes"], environment: bob);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("search.bad-query", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("is:sometimes", refused.Stderr, StringComparison.Ordinal);
    }

    private Dictionary<string, string> As(string user, string password) => new()
    {
        ["BUTTERFLY_SERVER"] = _daemon.EndPoint,
        ["BUTTERFLY_USER"] = user,
        ["BUTTERFLY_PASSWORD"] = password,
    };

    private static IEnumerable<JsonElement> Messages(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("messages").EnumerateArray();

    private static async Task<CliResult> Ok(string[] args, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null)
    {
        var result = await CliProcess.RunAsync(args, stdin, environment);
        Assert.True(result.ExitCode == 0, $"butterfly {string.Join(' ', args)}: {result}");
        return result;
    }
}
