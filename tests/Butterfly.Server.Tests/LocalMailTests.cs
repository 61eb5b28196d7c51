using System.Text;
using Butterfly.Client;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests;

/// <summary>Local mail end to end through Butterfly.Client against the real daemon, including a restart.</summary>
public sealed class LocalMailTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("butterfly-local");
    private string _config = string.Empty;
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        _config = DaemonProcess.WriteConfig(_directory.Path, ["example.org"], c =>
        {
            c["registration"] = new System.Text.Json.Nodes.JsonObject { ["open"] = true };

            // A remote domain that needs no DNS: send refuses domains DNS says take no mail.
            c["smtp"] = new System.Text.Json.Nodes.JsonObject { ["routes"] = new System.Text.Json.Nodes.JsonObject { ["elsewhere.example"] = "127.0.0.1:1" } };
        });
        _daemon = await DaemonProcess.StartAsync(_config);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task TwoAccounts_SendListReadFileAndFlag_SurvivesRestart()
    {
        await using (var alice = await ButterflyClient.ConnectAsync(_daemon.EndPoint))
        await using (var bob = await ButterflyClient.ConnectAsync(_daemon.EndPoint))
        {
            await alice.RegisterAsync("alice@example.org", "alice-password");
            await bob.RegisterAsync("bob@example.org", "bob-password");

            var sent = await alice.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = "Lunch? ☕", Text = "At noon, café downstairs?" });
            Assert.Equal("Sent", sent.SentFolder);
            Assert.Equal("delivered", Assert.Single(sent.Recipients).Status);
            Assert.StartsWith("<", sent.MessageId, StringComparison.Ordinal);

            var inbox = await bob.ListMessagesAsync("Inbox");
            var item = Assert.Single(inbox.Messages);
            Assert.Equal("Lunch? ☕", item.Subject);
            Assert.Contains("alice@example.org", item.From, StringComparison.Ordinal);
            Assert.Contains("bob@example.org", Assert.Single(item.To), StringComparison.Ordinal);
            Assert.Empty(item.Flags);

            var fetched = await bob.FetchAsync("Inbox", item.Id);
            var text = Encoding.UTF8.GetString(fetched.Content);
            Assert.StartsWith("Received: from [127.0.0.1]", text, StringComparison.Ordinal);
            Assert.Contains("Message-ID: " + sent.MessageId, text, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(item.Size, fetched.Content.Length);

            // The sender's copy is in Sent, seen.
            var sentPage = await alice.ListMessagesAsync("Sent");
            Assert.Contains("seen", Assert.Single(sentPage.Messages).Flags);

            // Folders: create, copy into, move into, rename, flag.
            await bob.CreateFolderAsync("Lunch");
            var copied = await bob.CopyAsync("Inbox", [item.Id], "Lunch");
            var copyId = copied[item.Id];
            var flags = await bob.ChangeFlagsAsync("Lunch", [copyId], ["flagged", "seen"], null);
            Assert.Equal(["seen", "flagged"], Assert.Single(flags).Flags);
            await bob.RenameFolderAsync("Lunch", "Archive/Lunch");
            var moved = await bob.MoveAsync("Inbox", [item.Id], "Archive/Lunch");
            Assert.True(moved[item.Id] > copyId);
            Assert.Empty((await bob.ListMessagesAsync("Inbox")).Messages);
            Assert.Equal(2, (await bob.ListMessagesAsync("Archive/Lunch")).Messages.Count);

            // Delete goes to Trash; from Trash it is gone for good.
            var trashed = await bob.DeleteAsync("Archive/Lunch", [moved[item.Id]]);
            var trashId = trashed.Trashed[moved[item.Id]];
            var expunged = await bob.DeleteAsync("Trash", [trashId]);
            Assert.Equal([trashId], expunged.Expunged);

            // Folder delete refuses a non-empty folder unless recursive.
            var refused = await Assert.ThrowsAsync<ButterflyException>(() => bob.DeleteFolderAsync("Archive"));
            Assert.Equal(ErrorCode.FolderNotEmpty, refused.Error);
            var inboxDelete = await Assert.ThrowsAsync<ButterflyException>(() => bob.DeleteFolderAsync("Inbox"));
            Assert.Equal(ErrorCode.FolderProtected, inboxDelete.Error);
        }

        Assert.Equal(0, await _daemon.StopAsync());
        await _daemon.DisposeAsync();
        _daemon = await DaemonProcess.StartAsync(_config);

        await using var again = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await again.LoginAsync("bob@example.org", "bob-password");
        var folders = await again.ListFoldersAsync();
        Assert.Contains(folders, f => f.Name == "Archive/Lunch" && f.Messages == 1);
        var kept = Assert.Single((await again.ListMessagesAsync("Archive/Lunch")).Messages);
        Assert.Equal("Lunch? ☕", kept.Subject);
        Assert.Contains("flagged", kept.Flags);
        await again.DeleteFolderAsync("Archive", recursive: true);
        Assert.DoesNotContain(await again.ListFoldersAsync(), f => f.Name.StartsWith("Archive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RawSend_ToCcBcc_EachGetsIt_BccHeaderRemoved()
    {
        await using var alice = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await using var bob = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await using var carol = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await alice.RegisterAsync("alice@example.org", "alice-password");
        await bob.RegisterAsync("bob@example.org", "bob-password");
        await carol.RegisterAsync("carol@example.org", "carol-password");

        var raw = TestMessages.Simple("Alice <alice@example.org>", "bob@example.org", "Secret plan", extraHeaders: "Bcc:\r\n carol@example.org\r\n");
        var result = await alice.SendAsync(new SendRequest { Raw = raw });
        Assert.Equal(2, result.Recipients.Count);

        foreach (var reader in new[] { bob, carol })
        {
            var item = Assert.Single((await reader.ListMessagesAsync()).Messages);
            var content = Encoding.UTF8.GetString((await reader.FetchAsync("Inbox", item.Id)).Content);
            Assert.DoesNotContain("Bcc:", content, StringComparison.OrdinalIgnoreCase);
            // The folded continuation line goes with the field: carol is named nowhere in the copies.
            Assert.DoesNotContain("carol@example.org", content, StringComparison.Ordinal);
            Assert.Contains("Subject: Secret plan", content, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Send_UnknownOrInvalidRecipient_IsRefusedWithItsCode_AndNothingDelivered()
    {
        await using var alice = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await using var bob = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await alice.RegisterAsync("alice@example.org", "alice-password");
        await bob.RegisterAsync("bob@example.org", "bob-password");

        // One unknown local recipient refuses the whole message, remote recipients included.
        var mixed = await Assert.ThrowsAsync<ButterflyException>(() =>
            alice.SendAsync(new SendRequest { To = ["bob@example.org", "zoe@elsewhere.example", "nobody@example.org"], Text = "hi" }));
        Assert.Equal(ErrorCode.RecipientUnknown, mixed.Error);
        Assert.Contains("nobody@example.org", mixed.Message, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<ButterflyException>(() =>
            alice.SendAsync(new SendRequest { To = ["nobody@example.org"], Text = "hi" }));
        Assert.Equal(ErrorCode.RecipientUnknown, unknown.Error);

        var invalid = await Assert.ThrowsAsync<ButterflyException>(() =>
            alice.SendAsync(new SendRequest { To = ["not an address"], Text = "hi" }));
        Assert.Equal(ErrorCode.RecipientInvalid, invalid.Error);

        Assert.Empty((await bob.ListMessagesAsync()).Messages);
        Assert.Empty((await alice.ListMessagesAsync("Sent")).Messages);
    }

    [Fact]
    public async Task Send_LocalAndRemoteRecipients_LocalDeliveredRemoteQueued()
    {
        await using var alice = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await using var bob = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await alice.RegisterAsync("alice-remote@example.org", "alice-password");
        await bob.RegisterAsync("bob-remote@example.org", "bob-password");

        var sent = await alice.SendAsync(new SendRequest { To = ["bob-remote@example.org", "zoe@elsewhere.example", "yan@elsewhere.example"], Subject = "Both ways", Text = "hi" });

        Assert.Equal(
            [("bob-remote@example.org", "delivered"), ("zoe@elsewhere.example", "queued"), ("yan@elsewhere.example", "queued")],
            sent.Recipients.Select(r => (r.Address, r.Status)));
        Assert.Equal("Both ways", Assert.Single((await bob.ListMessagesAsync()).Messages).Subject);
        Assert.Single((await alice.ListMessagesAsync("Sent")).Messages);
    }

    [Fact]
    public async Task Drafts_StoreThenReplace_GivesNewIdAndDropsTheOld()
    {
        await using var alice = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await alice.RegisterAsync("alice@example.org", "alice-password");
        var first = await alice.StoreAsync("Drafts", TestMessages.Simple("alice@example.org", "bob@example.org", "Draft 1"), ["draft"]);
        var second = await alice.ReplaceAsync("Drafts", first, TestMessages.Simple("alice@example.org", "bob@example.org", "Draft 2"));
        Assert.True(second > first);
        var item = Assert.Single((await alice.ListMessagesAsync("Drafts")).Messages);
        Assert.Equal("Draft 2", item.Subject);
        Assert.Contains("draft", item.Flags);

        var inboxId = await alice.StoreAsync("Inbox", TestMessages.Simple("x@example.org", "alice@example.org", "Not a draft"));
        var notDraft = await Assert.ThrowsAsync<ButterflyException>(() =>
            alice.ReplaceAsync("Inbox", inboxId, TestMessages.Simple("x@example.org", "alice@example.org", "Edited")));
        Assert.Equal(ErrorCode.MessageNotDraft, notDraft.Error);
    }

    [Fact]
    public async Task Store_OverSizeLimit_IsMessageTooLarge_AndGarbageIsInvalid()
    {
        await using var alice = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await alice.RegisterAsync("alice@example.org", "alice-password");
        var limit = (int)alice.Server.Limits.MaxMessageBytes;
        var big = TestMessages.OfSize("alice@example.org", "bob@example.org", "big", limit + 1000);
        Assert.True(big.Length > limit);
        var tooLarge = await Assert.ThrowsAsync<ButterflyException>(() => alice.StoreAsync("Drafts", big));
        Assert.Equal(ErrorCode.MessageTooLarge, tooLarge.Error);

        var garbage = await Assert.ThrowsAsync<ButterflyException>(() => alice.StoreAsync("Drafts", "no headers at all"u8.ToArray()));
        Assert.Equal(ErrorCode.MessageInvalid, garbage.Error);
        Assert.Empty((await alice.ListMessagesAsync("Drafts")).Messages);
    }
}
