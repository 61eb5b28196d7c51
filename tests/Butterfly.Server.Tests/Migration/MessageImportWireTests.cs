using System.Text;
using System.Text.Json;
using Butterfly.Client;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Migration;

/// <summary>message.import and folder.empty on the wire (protocol/client.md), against the real daemon.</summary>
public sealed class MessageImportWireTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task Import_SubscribedSession_PushedIndexedAndDated()
    {
        await using var client = await RegisterAsync("wire-events@example.org");
        await client.SubscribeAsync(["message.added"]);
        var received = new DateTimeOffset(2020, 5, 6, 7, 8, 9, TimeSpan.Zero);

        var result = await client.ImportAsync("Inbox", MigrationFiles.Message(1, "the word porcupine\r\n"), ["seen", "flagged"], received);

        Assert.False(result.Duplicate);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var added in client.ReadEventsAsync(cts.Token))
        {
            Assert.Equal(("message.added", "Inbox", result.Id), (added.Event, added.Folder, added.Id));
            break;
        }

        var found = Assert.Single((await client.SearchAsync("porcupine")).Messages);
        Assert.Equal(result.Id, found.Id);
        Assert.Equal(received, found.Received);
        Assert.Equal(["flagged", "seen"], found.Flags.Order());
    }

    [Fact]
    public async Task Import_SameBytesInFlightTogether_StoredOnceOthersDuplicates()
    {
        await using var client = await RegisterAsync("wire-dup@example.org");
        var message = MigrationFiles.Message(7);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.ImportAsync("Inbox", message)));

        Assert.Single(results, r => !r.Duplicate);
        Assert.All(results, r => Assert.Equal(results[0].Id, r.Id));
        Assert.Equal(1, (await client.ListFoldersAsync()).Single(f => f.Name == "Inbox").Messages);

        // The same bytes in another folder are another copy.
        await client.CreateFolderAsync("Other");
        Assert.False((await client.ImportAsync("Other", message)).Duplicate);
    }

    [Fact]
    public async Task Import_BadRequests_NamedErrors()
    {
        await using var client = await RegisterAsync("wire-bad@example.org");

        var folder = await Assert.ThrowsAsync<ButterflyException>(() => client.ImportAsync("Nowhere", MigrationFiles.Message(1)));
        var empty = await Assert.ThrowsAsync<ButterflyException>(() => client.ImportAsync("Inbox", ReadOnlyMemory<byte>.Empty));
        var large = await Assert.ThrowsAsync<ButterflyException>(() => client.ImportAsync("Inbox", Encoding.ASCII.GetBytes("Subject: big\r\n\r\n" + new string('x', 250_000))));
        var date = await client.RequestAsync(JsonSerializer.SerializeToUtf8Bytes(new { cmd = "message.import", folder = "Inbox", received = "yesterday" }), MigrationFiles.Message(2));

        Assert.Equal(ErrorCode.FolderNotFound, folder.Error);
        Assert.Equal(ErrorCode.MessageEmpty, empty.Error);
        Assert.True(large.Error is ErrorCode.MessageTooLarge or ErrorCode.ProtocolFrameTooLarge, large.Code);
        Assert.Equal("request.invalid", date.Head.GetProperty("code").GetString());
        Assert.All(await client.ListFoldersAsync(), f => Assert.Equal(0, f.Messages));
    }

    [Fact]
    public async Task FolderEmpty_Trash_ExpungesEveryMessageAndFreesQuota()
    {
        await using var client = await RegisterAsync("wire-empty@example.org");
        for (var n = 1; n <= 5; n++)
        {
            await client.ImportAsync("Trash", MigrationFiles.Message(n));
        }

        await client.ImportAsync("Inbox", MigrationFiles.Message(99));
        var before = (await client.GetAccountAsync()).Usage;
        await client.SubscribeAsync(["message.removed"]);

        var expunged = await client.EmptyFolderAsync("Trash");

        Assert.Equal(5, expunged);
        var removed = new List<long>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var gone in client.ReadEventsAsync(cts.Token))
        {
            Assert.Equal(("message.removed", "Trash"), (gone.Event, gone.Folder));
            removed.Add(gone.Id!.Value);
            if (removed.Count == 5)
            {
                break;
            }
        }

        Assert.Equal([1, 2, 3, 4, 5], removed.Order());
        var folders = (await client.ListFoldersAsync()).ToDictionary(f => f.Name, f => f.Messages);
        Assert.Equal((0, 1), (folders["Trash"], folders["Inbox"]));
        Assert.Equal(MigrationFiles.Message(99).Length, (await client.GetAccountAsync()).Usage);
        Assert.True(before > MigrationFiles.Message(99).Length);
        Assert.Equal(0, await client.EmptyFolderAsync("Trash"));
        var missing = await Assert.ThrowsAsync<ButterflyException>(() => client.EmptyFolderAsync("Nowhere"));
        Assert.Equal(ErrorCode.FolderNotFound, missing.Error);
    }

    [Fact]
    public async Task ImportAndEmpty_AnotherAccountsFolder_NotFoundLikeAMissingOne()
    {
        await using var owner = await RegisterAsync("wire-owner@example.org");
        await using var other = await RegisterAsync("wire-other@example.org");
        await owner.CreateFolderAsync("OwnerSecret");
        await owner.ImportAsync("OwnerSecret", MigrationFiles.Message(1));
        await using var anonymous = await ButterflyClient.ConnectAsync(daemon.EndPoint);

        foreach (var folder in new[] { "OwnerSecret", "NoSuchFolder" })
        {
            var import = await Assert.ThrowsAsync<ButterflyException>(() => other.ImportAsync(folder, MigrationFiles.Message(2)));
            var empty = await Assert.ThrowsAsync<ButterflyException>(() => other.EmptyFolderAsync(folder));
            Assert.Equal((ErrorCode.FolderNotFound, ErrorCode.FolderNotFound), (import.Error, empty.Error));
            Assert.Equal($"No such folder: {folder}", import.Message);
        }

        Assert.Equal(ErrorCode.AuthRequired, (await Assert.ThrowsAsync<ButterflyException>(() => anonymous.ImportAsync("Inbox", MigrationFiles.Message(3)))).Error);
        Assert.Equal(ErrorCode.AuthRequired, (await Assert.ThrowsAsync<ButterflyException>(() => anonymous.EmptyFolderAsync("Inbox"))).Error);
        Assert.Equal(1, (await owner.ListFoldersAsync()).Single(f => f.Name == "OwnerSecret").Messages);
    }

    [Fact]
    public async Task ImportCli_MessageOverTheServerLimit_SkippedAndNamedTheRestImported()
    {
        await using var client = await RegisterAsync("wire-cli@example.org");
        using var directory = new TempDirectory("butterfly-import-large");
        var mbox = directory.Combine("large.mbox");
        using (var file = File.Create(mbox))
        {
            MigrationFiles.WriteMboxEntry(file, MigrationFiles.Message(1), DateTime.UtcNow);
            MigrationFiles.WriteMboxEntry(file, MigrationFiles.Message(2, padding: 250_000), DateTime.UtcNow);
            MigrationFiles.WriteMboxEntry(file, MigrationFiles.Message(3), DateTime.UtcNow);
        }

        var run = await CliProcess.RunAsync(
            ["import", "wire-cli@example.org", mbox, "--json", "--server", daemon.EndPoint],
            environment: new Dictionary<string, string> { ["BUTTERFLY_PASSWORD"] = "long-password" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"skipped {mbox} at byte ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("message.too-large", run.Stderr, StringComparison.Ordinal);
        var counts = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal((2, 1), (counts.GetProperty("imported").GetInt64(), counts.GetProperty("refused").GetInt64()));
        Assert.Equal(2, (await client.ListFoldersAsync()).Single(f => f.Name == "Inbox").Messages);
    }

    private async Task<ButterflyClient> RegisterAsync(string user)
    {
        var client = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await client.RegisterAsync(user, "long-password");
        return client;
    }
}
