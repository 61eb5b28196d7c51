using System.Globalization;
using System.Text;
using Butterfly.Client;
using Butterfly.Protocol.Errors;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Search;

/// <summary>Search and threads through Butterfly.Client against the real daemon (protocol/client.md, "Search and threads").</summary>
public sealed class SearchTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("butterfly-search");
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, ["example.org"], c =>
            c["registration"] = new System.Text.Json.Nodes.JsonObject { ["open"] = true });
        _daemon = await DaemonProcess.StartAsync(config);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Search_BodyWordPhraseSenderAndDates_FindsTheRightMessages()
    {
        await using var alice = await RegisterAsync("alice");
        await using var bob = await RegisterAsync("bob");
        await using var carol = await RegisterAsync("carol");
        await alice.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = "Quarterly report", Text = "The quick brown fox reviews the budget." });
        await carol.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = "Garden", Text = "Tomatoes and brown beans need water." });

        Assert.Equal(["Quarterly report"], await SubjectsAsync(bob, "budget"));
        Assert.Equal(["Garden", "Quarterly report"], await SubjectsAsync(bob, "brown"));
        Assert.Equal(["Quarterly report"], await SubjectsAsync(bob, "\"quick brown\""));
        Assert.Empty(await SubjectsAsync(bob, "\"brown quick\""));
        Assert.Equal(["Garden"], await SubjectsAsync(bob, "from:carol@example.org brown"));
        Assert.Equal(["Quarterly report"], await SubjectsAsync(bob, "from:alice"));
        Assert.Equal(["Garden", "Quarterly report"], await SubjectsAsync(bob, "to:bob@example.org"));
        Assert.Equal(["Garden"], await SubjectsAsync(bob, "subject:garden"));
        Assert.Empty(await SubjectsAsync(bob, "subject:tomatoes"));

        // Dates are UTC days of the date received; a day either side of now keeps the test off midnight.
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(["Garden", "Quarterly report"], await SubjectsAsync(bob, $"brown after:{yesterday} before:{tomorrow}"));
        Assert.Empty(await SubjectsAsync(bob, $"brown before:{yesterday}"));
        Assert.Empty(await SubjectsAsync(bob, $"after:{tomorrow}"));

        // Flags filter; FTS5 operators typed by the user are words like any other.
        var garden = (await bob.SearchAsync("garden")).Messages.Single();
        await bob.ChangeFlagsAsync(garden.Folder, [garden.Id], ["seen"], null);
        Assert.Equal(["Quarterly report"], await SubjectsAsync(bob, "is:unread brown"));
        Assert.Equal(["Garden"], await SubjectsAsync(bob, "is:read"));
        Assert.Empty(await SubjectsAsync(bob, "budget OR tomatoes"));
        Assert.Equal(["Quarterly report"], await SubjectsAsync(bob, "budget) ^fox* -quick {reviews}"));

        // Paging: newest first, then the rest.
        var first = await bob.SearchAsync("brown", limit: 1);
        Assert.Equal("Garden", Assert.Single(first.Messages).Subject);
        Assert.Equal(1, first.Next);
        var second = await bob.SearchAsync("brown", limit: 1, offset: first.Next!.Value);
        Assert.Equal("Quarterly report", Assert.Single(second.Messages).Subject);
        Assert.Null(second.Next);

        // Each user searches only their own mail: Alice finds her Sent copy, Carol nothing of Alice's.
        var sent = Assert.Single((await alice.SearchAsync("budget")).Messages);
        Assert.Equal("Sent", sent.Folder);
        Assert.Empty(await SubjectsAsync(carol, "budget"));

        foreach (var bad in new[] { "\"unclosed", "before:yesterday", "is:weird", "has:wings", "from:", "@@@", "   " })
        {
            var refused = await Assert.ThrowsAsync<ButterflyException>(() => bob.SearchAsync(bad));
            Assert.Equal(ErrorCode.SearchBadQuery, refused.Error);
        }

        var missing = await Assert.ThrowsAsync<ButterflyException>(() => bob.SearchAsync("in:Nowhere brown"));
        Assert.Equal(ErrorCode.FolderNotFound, missing.Error);
    }

    [Fact]
    public async Task Search_MovedAndDeletedMessages_FoundWhereTheyAreOrNotAtAll()
    {
        await using var alice = await RegisterAsync("alice");
        await using var bob = await RegisterAsync("bob");
        await alice.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = "Invoice 42", Text = "Please pay the zeppelin invoice." });
        var id = Assert.Single((await bob.SearchAsync("zeppelin")).Messages).Id;

        await bob.CreateFolderAsync("Bills");
        var moved = (await bob.MoveAsync("Inbox", [id], "Bills"))[id];
        var found = Assert.Single((await bob.SearchAsync("zeppelin")).Messages);
        Assert.Equal(("Bills", moved), (found.Folder, found.Id));
        Assert.Empty((await bob.SearchAsync("zeppelin", folder: "Inbox")).Messages);
        Assert.Single((await bob.SearchAsync("in:Bills zeppelin")).Messages);

        // Deleted: in Trash, which a search leaves out unless asked; deleted from Trash: gone.
        var trashed = (await bob.DeleteAsync("Bills", [moved])).Trashed[moved];
        Assert.Empty((await bob.SearchAsync("zeppelin")).Messages);
        Assert.Equal(trashed, Assert.Single((await bob.SearchAsync("in:Trash zeppelin")).Messages).Id);
        await bob.DeleteAsync("Trash", [trashed]);
        Assert.Empty((await bob.SearchAsync("in:Trash zeppelin")).Messages);

        // Alice's Sent copy of the same bytes is still found.
        Assert.Equal("Sent", Assert.Single((await alice.SearchAsync("zeppelin")).Messages).Folder);
    }

    [Fact]
    public async Task Thread_RepliesByHeadersAndBySubject_JoinTheirOriginal()
    {
        await using var alice = await RegisterAsync("alice");
        await using var bob = await RegisterAsync("bob");
        await using var carol = await RegisterAsync("carol");
        await alice.SendAsync(new SendRequest { Raw = Raw("alice", "bob", "Plans", "<plans-1@example.org>", null, "Shall we hike on Sunday?") });
        await bob.SendAsync(new SendRequest { Raw = Raw("bob", "alice", "Re: Plans", "<plans-2@example.org>", "<plans-1@example.org>", "Yes, at nine.") });
        await alice.SendAsync(new SendRequest { Raw = Raw("alice", "bob", "RE: plans", "<plans-3@example.org>", null, "Nine it is (my client drops References).") });
        await carol.SendAsync(new SendRequest { Raw = Raw("carol", "bob", "Plans", "<other@example.org>", null, "Unrelated plans, same subject, no Re:.") });

        var inbox = await bob.ListMessagesAsync("Inbox");
        var original = inbox.Messages.Single(m => m.From!.Contains("alice", StringComparison.Ordinal) && m.Subject == "Plans");
        var carols = inbox.Messages.Single(m => m.From!.Contains("carol", StringComparison.Ordinal));

        var thread = await bob.GetThreadAsync("Inbox", original.Id);
        Assert.Equal(["Plans", "Re: Plans", "RE: plans"], thread.Select(m => m.Subject));
        Assert.Equal(["Inbox", "Sent", "Inbox"], thread.Select(m => m.Folder));
        Assert.Equal(["Plans"], (await bob.GetThreadAsync("Inbox", carols.Id)).Select(m => m.Subject));

        // Alice sees the same conversation from her side.
        var aliceSent = await alice.ListMessagesAsync("Sent");
        var aliceThread = await alice.GetThreadAsync("Sent", aliceSent.Messages.Single(m => m.Subject == "Plans").Id);
        Assert.Equal(["Sent", "Inbox", "Sent"], aliceThread.Select(m => m.Folder));

        // One line per thread, the one with the newest message first.
        var threads = await bob.ListThreadsAsync("Inbox");
        Assert.Equal([1L, 2L], threads.Threads.Select(t => t.Messages));
        Assert.Equal(carols.Id, threads.Threads[0].Latest.Id);
        Assert.Equal("RE: plans", threads.Threads[1].Latest.Subject);
        Assert.Equal(2, threads.Threads[1].Unseen);

        var notFound = await Assert.ThrowsAsync<ButterflyException>(() => bob.GetThreadAsync("Inbox", 9999));
        Assert.Equal(ErrorCode.MessageNotFound, notFound.Error);
    }

    private static byte[] Raw(string from, string to, string subject, string messageId, string? inReplyTo, string body)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"From: {from}@example.org\r\nTo: {to}@example.org\r\nSubject: {subject}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Message-ID: {messageId}\r\nDate: {DateTimeOffset.UtcNow:R}\r\n");
        if (inReplyTo is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"In-Reply-To: {inReplyTo}\r\nReferences: {inReplyTo}\r\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"\r\n{body}\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static async Task<List<string?>> SubjectsAsync(ButterflyClient client, string query) =>
        [.. (await client.SearchAsync(query)).Messages.Select(m => m.Subject)];

    private async Task<ButterflyClient> RegisterAsync(string name)
    {
        var client = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await client.RegisterAsync($"{name}@example.org", $"{name}-password");
        return client;
    }
}
