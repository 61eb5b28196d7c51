using System.Security.Cryptography;
using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Operations;

/// <summary><c>butterfly backup</c> of a data folder a daemon serves, with mail arriving while it runs; restored and served again.</summary>
public sealed class BackupTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("butterfly-backup");
    private DaemonProcess _daemon = null!;
    private string _config = string.Empty;

    public async Task InitializeAsync()
    {
        _config = DaemonProcess.WriteConfig(_directory.Path, ["example.org"], c =>
            c["registration"] = new System.Text.Json.Nodes.JsonObject { ["open"] = true });
        _daemon = await DaemonProcess.StartAsync(_config);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Backup_DuringWrites_RestoresToAConsistentPrefixOfTheMailbox()
    {
        await using (var register = await ButterflyClient.ConnectAsync(_daemon.EndPoint))
        {
            await register.RegisterAsync("alice@example.org", "alice-password");
        }

        await using (var register = await ButterflyClient.ConnectAsync(_daemon.EndPoint))
        {
            await register.RegisterAsync("bob@example.org", "bob-password");
        }

        // Four senders keep writing (alice's Sent and bob's Inbox, one transaction each) until the backup is done.
        using var stop = new CancellationTokenSource();
        var sent = 0;
        var firstSends = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var senders = Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            await using var alice = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
            await alice.LoginAsync("alice@example.org", "alice-password");
            while (!stop.IsCancellationRequested)
            {
                await alice.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = $"load {n}", Text = $"message from sender {n} #{Interlocked.Increment(ref sent)}" });
                if (Volatile.Read(ref sent) >= 40)
                {
                    firstSends.TrySetResult();
                }
            }
        })).ToList();
        await firstSends.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var output = _directory.Combine("backup");
        var backup = await CliProcess.RunAsync(["backup", output, "--config", _config]);
        var sentWhenDone = Volatile.Read(ref sent);
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Contains("backed up", backup.Stdout, StringComparison.Ordinal);

        var verify = await CliProcess.RunAsync(["backup", "verify", output]);
        Assert.True(verify.ExitCode == 0, verify.ToString());

        var restoredRoot = _directory.Combine("restored");
        Directory.CreateDirectory(restoredRoot);
        var restore = await CliProcess.RunAsync(["restore", output, "--data", Path.Combine(restoredRoot, "data")]);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(restoredRoot, "data")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(restoredRoot, "data", "butterfly.db")));

        // The live mailbox after the load, then the restored one on a daemon of its own.
        var live = await MailboxAsync(_daemon.EndPoint);
        await using var restored = await DaemonProcess.StartAsync(DaemonProcess.WriteConfig(restoredRoot, ["example.org"]));
        var snapshot = await MailboxAsync(restored.EndPoint);

        // One transaction stores alice's Sent copy and bob's Inbox copy: a consistent snapshot has as many of each.
        Assert.Equal(snapshot.Sent.Count, snapshot.Inbox.Count);
        Assert.InRange(snapshot.Inbox.Count, 40, sentWhenDone);

        // And each message is the live one with the same id, byte for byte: the snapshot is a prefix of the mailbox.
        foreach (var (id, hash) in snapshot.Inbox)
        {
            Assert.Equal(live.Inbox[id], hash);
        }

        foreach (var (id, hash) in snapshot.Sent)
        {
            Assert.Equal(live.Sent[id], hash);
        }
    }

    [Fact]
    public async Task Backup_IntoAFolderWithFiles_IsRefusedAndLeavesItAlone()
    {
        var output = _directory.Combine("occupied");
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "keep.txt"), "mine");

        var backup = await CliProcess.RunAsync(["backup", output, "--config", _config]);

        Assert.Equal(1, backup.ExitCode);
        Assert.Contains("backup.exists", backup.Stderr, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFiles(output).Select(Path.GetFileName));
    }

    private static async Task<(Dictionary<long, string> Inbox, Dictionary<long, string> Sent)> MailboxAsync(string endpoint)
    {
        await using var bob = await ButterflyClient.ConnectAsync(endpoint);
        await bob.LoginAsync("bob@example.org", "bob-password");
        await using var alice = await ButterflyClient.ConnectAsync(endpoint);
        await alice.LoginAsync("alice@example.org", "alice-password");
        return (await FolderAsync(bob, "Inbox"), await FolderAsync(alice, "Sent"));
    }

    private static async Task<Dictionary<long, string>> FolderAsync(ButterflyClient client, string folder)
    {
        var hashes = new Dictionary<long, string>();
        long? before = null;
        do
        {
            var page = await client.ListMessagesAsync(folder, 500, before);
            foreach (var message in page.Messages)
            {
                var fetched = await client.FetchAsync(folder, message.Id);
                hashes[message.Id] = Convert.ToHexStringLower(SHA256.HashData(fetched.Content));
            }

            before = page.Next;
        }
        while (before is not null);
        return hashes;
    }
}
