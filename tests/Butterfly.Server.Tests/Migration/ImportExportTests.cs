using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Migration;

/// <summary><c>butterfly import</c> and <c>export</c> as real processes against the real daemon.</summary>
public sealed class ImportExportTests : IAsyncLifetime
{
    private const string Password = "long-password";
    private readonly TempDirectory _directory = new("butterfly-import");
    private string _config = string.Empty;
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        _config = DaemonProcess.WriteConfig(_directory.Path, ["example.org"], c => c["registration"] = new JsonObject { ["open"] = true });
        _daemon = await DaemonProcess.StartAsync(_config);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Import_MboxrdAndMboxo_FromLinesAsEachFormatSays()
    {
        await using var alice = await RegisterAsync("alice@example.org");
        var mbox = _directory.Combine("quoted.mbox");
        using (var file = File.Create(mbox))
        {
            MigrationFiles.WriteMboxEntry(file, "Subject: quoted\r\n\r\n>From the start\r\n>>From once\r\n"u8.ToArray(), new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc));
        }

        await Ok(["import", "alice@example.org", mbox, "--folder", "Rd"]);
        await Ok(["import", "alice@example.org", mbox, "--folder", "O", "--mbox", "mboxo"]);

        var rd = await alice.FetchAsync("Rd", 1);
        Assert.Equal("Subject: quoted\r\n\r\nFrom the start\r\n>From once\r\n", Encoding.ASCII.GetString(rd.Content));
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero), rd.Received);
        var o = await alice.FetchAsync("O", 1);
        Assert.Equal("Subject: quoted\r\n\r\nFrom the start\r\n>>From once\r\n", Encoding.ASCII.GetString(o.Content));
    }

    [Fact]
    public async Task Import_MaildirTree_FoldersAndFlagsKept()
    {
        await using var bob = await RegisterAsync("bob@example.org");
        var root = _directory.Combine("Maildir");
        MigrationFiles.WriteMaildirFile(root, "1700000000.M1.host:2,S", MigrationFiles.Message(1));
        MigrationFiles.WriteMaildirFile(root, "1700000001.M2.host", MigrationFiles.Message(2), isNew: true);
        MigrationFiles.WriteMaildirFile(Path.Combine(root, ".Archive.2026"), "1700000002.M3.host:2,FR", MigrationFiles.Message(3));
        MigrationFiles.WriteMaildirFile(Path.Combine(root, ".Archive.2026"), "1700000003.M4.host:2,ST", MigrationFiles.Message(4));
        MigrationFiles.WriteMaildirFile(Path.Combine(root, ".Drafts"), "1700000004.M5.host:2,D", MigrationFiles.Message(5));

        var run = await Ok(["import", "bob@example.org", root, "--json"], "bob@example.org");

        Assert.Equal(5, JsonDocument.Parse(run.Stdout).RootElement.GetProperty("imported").GetInt64());
        var folders = (await bob.ListFoldersAsync()).ToDictionary(f => f.Name, f => f.Messages);
        Assert.Equal(2, folders["Inbox"]);
        Assert.Equal(1, folders["Archive"] + folders["Archive/2026"]);
        Assert.Equal(1, folders["Trash"]);
        Assert.Equal(1, folders["Drafts"]);
        var inbox = (await bob.ListMessagesAsync("Inbox")).Messages.OrderBy(m => m.Id).ToList();
        Assert.Equal(["seen"], inbox[0].Flags);
        Assert.Empty(inbox[1].Flags);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), inbox[0].Received);
        Assert.Equal(["answered", "flagged"], (await bob.ListMessagesAsync("Archive/2026")).Messages.Single().Flags.Order());
        Assert.Equal(["seen"], (await bob.ListMessagesAsync("Trash")).Messages.Single().Flags);
        Assert.Equal(["draft"], (await bob.ListMessagesAsync("Drafts")).Messages.Single().Flags);
    }

    [Fact]
    public async Task Import_SameMboxTwice_SecondRunCountsDuplicates()
    {
        await using var carol = await RegisterAsync("carol@example.org");
        var mbox = _directory.Combine("twice.mbox");
        MigrationFiles.WriteMbox(mbox, 50);

        var first = Json(await Ok(["import", "carol@example.org", mbox, "--json"], "carol@example.org"));
        var second = Json(await Ok(["import", "carol@example.org", mbox, "--json"], "carol@example.org"));

        Assert.Equal((50, 0), (first.GetProperty("imported").GetInt64(), first.GetProperty("duplicates").GetInt64()));
        Assert.Equal((0, 50), (second.GetProperty("imported").GetInt64(), second.GetProperty("duplicates").GetInt64()));
        Assert.Equal(50, (await carol.ListFoldersAsync()).Single(f => f.Name == "Inbox").Messages);
        Assert.False(File.Exists(mbox + ".butterfly-import"));
    }

    [Fact]
    public async Task Import_DaemonKilledMidway_RerunResumesAndStoresEachMessageOnce()
    {
        const int count = 8000;
        await using (var dave = await RegisterAsync("dave@example.org"))
        {
        }

        var mbox = _directory.Combine("big.mbox");
        MigrationFiles.WriteMbox(mbox, count);
        using var import = StartImport("dave@example.org", mbox);
        await using (var watcher = await LoginAsync("dave@example.org"))
        {
            // Frozen the moment it is seen under way: a fast machine imports the rest before the kill otherwise.
            await Eventually.TrueAsync(
                async () =>
                {
                    if ((await watcher.ListFoldersAsync()).Single(f => f.Name == "Inbox").Messages < 300)
                    {
                        return false;
                    }

                    ProcessPause.Stop(import);
                    return true;
                },
                "the import is under way");
            var stored = (await watcher.ListFoldersAsync()).Single(f => f.Name == "Inbox").Messages;
            Assert.True(stored < count, $"the import was frozen midway ({stored} of {count} stored)");
        }

        await _daemon.KillAsync();
        ProcessPause.Continue(import);
        await import.WaitForExitAsync();
        var stderr = await import.StandardError.ReadToEndAsync();
        Assert.True(import.ExitCode == 1, stderr);
        Assert.Contains("error: connection", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(mbox + ".butterfly-import"), stderr);

        await _daemon.DisposeAsync();
        _daemon = await DaemonProcess.StartAsync(_config);
        var rerun = await Ok(["import", "dave@example.org", mbox, "--json"], "dave@example.org");

        Assert.Contains("resuming at byte", rerun.Stderr, StringComparison.Ordinal);
        Assert.True(Json(rerun).GetProperty("imported").GetInt64() < count, rerun.ToString());
        await using var dave2 = await LoginAsync("dave@example.org");
        Assert.Equal(count, (await dave2.ListFoldersAsync()).Single(f => f.Name == "Inbox").Messages);
        Assert.False(File.Exists(mbox + ".butterfly-import"));
    }

    [Fact]
    public async Task Import_CliKilledMidway_RerunStoresEachMessageOnce()
    {
        const int count = 8000;
        await using var erin = await RegisterAsync("erin@example.org");
        var mbox = _directory.Combine("killed.mbox");
        MigrationFiles.WriteMbox(mbox, count);
        using var import = StartImport("erin@example.org", mbox);
        await Eventually.TrueAsync(async () => (await erin.ListFoldersAsync()).Single(f => f.Name == "Inbox").Messages >= 300, "the import is under way");

        import.Kill();
        await import.WaitForExitAsync();
        var stored = (await erin.ListFoldersAsync()).Single(f => f.Name == "Inbox").Messages;
        Assert.True(stored < count, "the import was still running when killed");

        var rerun = Json(await Ok(["import", "erin@example.org", mbox, "--json"], "erin@example.org"));

        Assert.Equal(count, (await erin.ListFoldersAsync()).Single(f => f.Name == "Inbox").Messages);
        // Imports the killed CLI had sent may still have committed after the count above: at most its window.
        Assert.InRange(rerun.GetProperty("imported").GetInt64(), count - stored - 64, count - stored);
    }

    [Fact]
    public async Task Import_QuotaExceededMidway_StopsWithClearErrorAndLosesNothing()
    {
        await using var frank = await RegisterAsync("frank@example.org");
        await Ok(["quota", "set", "frank@example.org", "40K", "--config", _config], null);
        var mbox = _directory.Combine("quota.mbox");
        MigrationFiles.WriteMbox(mbox, 100, padding: 800);

        var refused = await CliProcess.RunAsync(["import", "frank@example.org", mbox, "--server", _daemon.EndPoint], null, As("frank@example.org"));

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("error: quota.exceeded: frank@example.org: the mailbox is over its storage quota", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run the same command again", refused.Stderr, StringComparison.Ordinal);
        var account = await frank.GetAccountAsync();
        Assert.InRange(account.Usage, 30_000, 40 * 1024);
        var stored = (await frank.ListFoldersAsync()).Single(f => f.Name == "Inbox").Messages;
        Assert.InRange(stored, 1, 99);

        await Ok(["quota", "set", "frank@example.org", "none", "--config", _config], null);
        await Ok(["import", "frank@example.org", mbox], "frank@example.org");

        var inbox = new List<long>();
        for (long? before = null; ;)
        {
            var page = await frank.ListMessagesAsync("Inbox", 500, before);
            inbox.AddRange(page.Messages.Select(m => m.Id));
            if ((before = page.Next) is null)
            {
                break;
            }
        }

        Assert.Equal(100, inbox.Count);
        var subjects = new HashSet<string>();
        foreach (var id in inbox)
        {
            Assert.True(subjects.Add(Encoding.ASCII.GetString((await frank.FetchAsync("Inbox", id)).Content).Split("\r\n")[2]));
        }
    }

    [Fact]
    public async Task Export_MboxThenImportThenExport_ByteIdentical()
    {
        await using var gina = await RegisterAsync("gina@example.org");
        var sources = new List<byte[]>
        {
            MigrationFiles.Message(1, ">From a quoted line\r\nFrom an unquoted line\r\n>>From two\r\n"),
            "Subject: no line end at the end\r\n\r\nbody"u8.ToArray(),
            MigrationFiles.Message(3, "\r\n\r\n\r\n"),
            "Subject: LF only\n\nFrom here\n"u8.ToArray(),
        };
        foreach (var source in sources)
        {
            await gina.StoreAsync("Inbox", source, ["seen"]);
        }

        var first = _directory.Combine("first.mbox");
        var second = _directory.Combine("second.mbox");
        await Ok(["export", "gina@example.org", "--folder", "Inbox", "--format", "mbox", first], "gina@example.org");
        await Ok(["import", "gina@example.org", first, "--folder", "Again"], "gina@example.org");
        await Ok(["export", "gina@example.org", "--folder", "Again", "--format", "mbox", second], "gina@example.org");

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        var again = (await gina.ListMessagesAsync("Again")).Messages.OrderBy(m => m.Id).ToList();
        Assert.Equal(sources.Count, again.Count);

        // Every message comes back byte for byte, but the one that had no line end at its end gets one.
        for (var i = 0; i < sources.Count; i++)
        {
            var expected = i == 1 ? [.. sources[i], (byte)'\n'] : sources[i];
            Assert.Equal(expected, (await gina.FetchAsync("Again", again[i].Id)).Content);
        }
    }

    [Fact]
    public async Task Export_Maildir_FlagsInNamesAndImportsBackIdentical()
    {
        await using var hal = await RegisterAsync("hal@example.org");
        var seen = await hal.StoreAsync("Inbox", MigrationFiles.Message(1), ["seen", "flagged"]);
        await hal.CreateFolderAsync("Work/Projects");
        await hal.StoreAsync("Work/Projects", MigrationFiles.Message(2), ["answered"]);
        var maildir = _directory.Combine("hal-maildir");

        await Ok(["export", "hal@example.org", "--format", "maildir", maildir], "hal@example.org");

        var inboxFile = Assert.Single(Directory.GetFiles(Path.Combine(maildir, "cur")));
        Assert.EndsWith(":2,FS", inboxFile, StringComparison.Ordinal);
        Assert.Equal(MigrationFiles.Message(1), File.ReadAllBytes(inboxFile));
        Assert.EndsWith(":2,R", Assert.Single(Directory.GetFiles(Path.Combine(maildir, ".Work.Projects", "cur"))), StringComparison.Ordinal);

        await using var ivy = await RegisterAsync("ivy@example.org");
        await Ok(["import", "ivy@example.org", maildir], "ivy@example.org");
        var inbox = (await ivy.ListMessagesAsync("Inbox")).Messages.Single();
        Assert.Equal(["flagged", "seen"], inbox.Flags.Order());
        Assert.Equal(MigrationFiles.Message(1), (await ivy.FetchAsync("Inbox", inbox.Id)).Content);
        Assert.Equal(["answered"], (await ivy.ListMessagesAsync("Work/Projects")).Messages.Single().Flags);
        Assert.True(seen > 0);
    }

    [Fact]
    public async Task ImportExport_AnotherAccount_Refused()
    {
        await using var judy = await RegisterAsync("judy@example.org");
        await using var mallory = await RegisterAsync("mallory@example.org", "mallory-password");
        await judy.StoreAsync("Inbox", MigrationFiles.Message(1));
        var mbox = _directory.Combine("mallory.mbox");
        MigrationFiles.WriteMbox(mbox, 3);
        var asMallory = new Dictionary<string, string> { ["BUTTERFLY_SERVER"] = _daemon.EndPoint, ["BUTTERFLY_USER"] = "mallory@example.org", ["BUTTERFLY_PASSWORD"] = "mallory-password" };

        var import = await CliProcess.RunAsync(["import", "judy@example.org", mbox], null, asMallory);
        var export = await CliProcess.RunAsync(["export", "judy@example.org", "--format", "mbox", _directory.Combine("stolen")], null, asMallory);
        var named = await CliProcess.RunAsync(["import", "judy@example.org", mbox, "--user", "mallory@example.org"], null, asMallory);

        Assert.Equal(1, import.ExitCode);
        Assert.Contains("auth.failed", import.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, export.ExitCode);
        Assert.Contains("auth.failed", export.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_directory.Combine("stolen")) && Directory.EnumerateFileSystemEntries(_directory.Combine("stolen")).Any());
        Assert.Equal(2, named.ExitCode);
        Assert.Contains("--user mallory@example.org names another", named.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, (await judy.ListFoldersAsync()).Single(f => f.Name == "Inbox").Messages);
        Assert.All(await mallory.ListFoldersAsync(), f => Assert.Equal(0, f.Messages));
    }

    private Process StartImport(string user, string mbox)
    {
        var info = CliProcess.StartInfo(["import", user, mbox, "--server", _daemon.EndPoint]);
        foreach (var (key, value) in As(user))
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        process.StandardInput.Close();
        _ = process.StandardOutput.ReadToEndAsync();
        return process;
    }

    private async Task<ButterflyClient> RegisterAsync(string user, string password = Password)
    {
        var client = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await client.RegisterAsync(user, password);
        return client;
    }

    private async Task<ButterflyClient> LoginAsync(string user)
    {
        var client = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await client.LoginAsync(user, Password);
        return client;
    }

    private Dictionary<string, string> As(string user) => new()
    {
        ["BUTTERFLY_SERVER"] = _daemon.EndPoint,
        ["BUTTERFLY_USER"] = user,
        ["BUTTERFLY_PASSWORD"] = Password,
    };

    private async Task<CliResult> Ok(string[] args, string? user = "alice@example.org")
    {
        var result = await CliProcess.RunAsync(args, null, user is null ? null : As(user));
        Assert.True(result.ExitCode == 0, $"butterfly {string.Join(' ', args)}: {result}");
        return result;
    }

    private static JsonElement Json(CliResult result) => JsonDocument.Parse(result.Stdout).RootElement;
}
