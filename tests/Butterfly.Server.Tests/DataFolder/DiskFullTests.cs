using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.Protocol.Errors;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.DataFolder;

/// <summary>
/// The real daemon with its data folder on a tmpfs of its own, filled to the last byte by another file:
/// sends and uploads get <c>storage.full</c> (not <c>server.internal</c>), flag changes, deletes, moves and
/// folder deletion still work, the deletes make room, and sends resume without a restart.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class DiskFullTests : IDisposable
{
    private const int MessageBytes = 300 * 1024;

    private readonly TempDirectory _directory = new("bf-disk-full");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Send_DataFolderDiskFull_StorageFullDeletesWorkAndSendsResume()
    {
        using var disk = SmallDisk.Mount(_directory.Combine("disk"), 24L << 20);
        var data = Path.Combine(disk.Path, "data");
        var config = DaemonProcess.WriteConfig(_directory.Path, configure: c =>
        {
            c["dataDirectory"] = data;
            c["registration"] = new JsonObject { ["open"] = true };
            c["store"] = new JsonObject { ["minFreeBytes"] = 1 << 20, ["reserveBytes"] = 2 << 20, ["freeSpaceCheckSeconds"] = 0.1 };
        });
        await using var daemon = await DaemonProcess.StartAsync(config);
        await using var alice = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await alice.RegisterAsync("alice@example.org", "alice-password");
        await alice.CreateFolderAsync("Old");
        var inbox = new List<long>();
        for (var i = 0; i < 18; i++)
        {
            var id = await alice.StoreAsync(i < 15 ? "Inbox" : "Old", Message($"before {i}"));
            if (i < 15)
            {
                inbox.Add(id);
            }
        }

        // A quiet moment (what the WAL holds is in the database file), then another program takes every byte left.
        await Eventually.TrueAsync(() => SqliteFiles.WalCopied(Path.Combine(data, "butterfly.db")), "the WAL is copied into the database");
        var filler = disk.Fill();

        var send = await Assert.ThrowsAsync<ButterflyException>(() => alice.SendAsync(new SendRequest { To = ["alice@example.org"], Subject = "full", Text = "Is there room?" }));
        Assert.Equal(("storage.full", ErrorCode.StorageFull), (send.Code, send.Error));
        var upload = await Assert.ThrowsAsync<ButterflyException>(() => alice.StoreAsync("Drafts", Message("draft")));
        Assert.Equal(ErrorCode.StorageFull, upload.Error);
        Assert.Contains("full", upload.Message, StringComparison.Ordinal);

        // The background measurement sees the floor crossed and logs it once; waited for here, while the disk
        // is still full, because the deletes below can make room again before the next measurement runs.
        await Eventually.TrueAsync(() => daemon.Output.Contains("new mail is refused (storage.full)", StringComparison.Ordinal), "the refusal is logged");

        // Making room works on the full disk: flags, delete to Trash, delete from Trash, folder delete.
        await alice.ChangeFlagsAsync("Inbox", inbox, ["seen"], null);
        var trashed = await alice.DeleteAsync("Inbox", inbox);
        var expunged = await alice.DeleteAsync("Trash", [.. trashed.Trashed.Values]);
        Assert.Equal(inbox.Count, expunged.Expunged.Count);
        await alice.DeleteFolderAsync("Old", recursive: true);

        // The deleted mail's pages are room again: sends resume by themselves, the disk still full.
        await Eventually.TrueAsync(
            async () => await TrySendAsync(alice, "after the deletes"),
            "sends resume in the room the deletes made");
        Assert.Contains("after the deletes", (await alice.ListMessagesAsync("Inbox")).Messages.Select(m => m.Subject));

        // Space returns: the reserve for the next full disk is made again.
        File.Delete(filler);
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(data, "butterfly.reserve")), "the reserve is back");
        Assert.Equal(0, await daemon.StopAsync());
    }

    private static async Task<bool> TrySendAsync(ButterflyClient client, string subject)
    {
        try
        {
            await client.SendAsync(new SendRequest { To = ["alice@example.org"], Subject = subject, Text = "Room again." });
            return true;
        }
        catch (ButterflyException ex) when (ex.Error == ErrorCode.StorageFull)
        {
            return false;
        }
    }

    private static byte[] Message(string subject) => Encoding.ASCII.GetBytes(
        $"From: alice@example.org\r\nTo: alice@example.org\r\nSubject: {subject}\r\n\r\n{new string('x', MessageBytes)}\r\n");
}
