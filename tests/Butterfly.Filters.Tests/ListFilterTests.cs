using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.Filters.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Filters.Tests;

/// <summary>The Thwonk-style list end to end: a claimed address, trimmed copies injected to each member.</summary>
public sealed class ListFilterTests
{
    private const string List = "list@example.org";

    // The claim is in the configuration too, so mail to the list waits for the filter (tempfail) rather than bouncing.
    private static JsonObject ListEntry()
    {
        var entry = FilterTestServer.Filter("list");
        entry["claims"] = new JsonArray(List);
        return entry;
    }

    private const string MembersFile = "members.txt";

    // The members file (one line each) in the test's folder, and the list filter on it.
    private static async Task<FilterChildProcess> StartListAsync(FilterTestServer server, params string[] members)
    {
        var file = server.File(MembersFile);
        await File.WriteAllLinesAsync(file, members);
        return await FilterProcess.StartAsync(
            FilterCommand.DotNet("Butterfly.Examples.ListFilter"), server.SocketPath, "list", "--list", List, "--members", file);
    }

    [Fact]
    public async Task ListFilter_PostFromMember_TrimmedCopyToEachMemberAndOriginalDiscarded()
    {
        await using var server = await FilterTestServer.StartAsync(
            new JsonArray(ListEntry()), "alice@example.org", "bob@example.org", "carol@example.org", "dave@example.org");
        await using var filter = await StartListAsync(server, "alice@example.org", "bob@example.org", "# a comment", "carol@example.org");

        var text = string.Concat(Enumerable.Repeat("Thwonk posts are short, so this long one gets cut. ", 6));
        await server.SendAsync("alice@example.org", List, "Meeting moved", text);

        foreach (var member in (string[])["alice@example.org", "bob@example.org", "carol@example.org"])
        {
            var copy = Assert.Single(await server.WaitForMessagesAsync(member, "Inbox", 1));
            var parsed = Mail.Parse(copy);
            Assert.Equal("[list] Meeting moved", parsed.Subject);
            Assert.Equal("alice@example.org", Mail.Address(parsed.From));
            Assert.Equal(List, Mail.Address(parsed.ReplyTo));
            Assert.Equal("<list.example.org>", parsed.Headers["List-Id"]);
            Assert.Equal("<mailto:list@example.org>", parsed.Headers["List-Post"]);
            Assert.Equal("<mailto:list@example.org?subject=subscribe>", parsed.Headers["List-Subscribe"]);
            Assert.Equal("<mailto:list@example.org?subject=unsubscribe>", parsed.Headers["List-Unsubscribe"]);
            Assert.Equal("list", parsed.Headers["Precedence"]);
            Assert.True(Mail.HasCrlfLineEnds(copy.Content));
            Assert.Equal(text.Trim()[..140], Mail.Text(copy));
        }

        // Not a member: nothing arrives; the list address itself is no account and stores nothing.
        Assert.Empty(await server.MessagesAsync("dave@example.org", "Inbox"));

        // A non-member's post is refused by the filter's reject verdict, and reaches nobody.
        try
        {
            var refused = await server.SendAsync("dave@example.org", List, "Buy now", "Cheap watches");
            Assert.Equal("rejected", Assert.Single(refused.Recipients).Status);
        }
        catch (ButterflyException e)
        {
            Assert.Equal("filter.rejected", e.Code);
        }

        await server.SendAsync("bob@example.org", List, "Barrier", "After Dave's attempt.");
        var bobInbox = await server.WaitForMessagesAsync("bob@example.org", "Inbox", 2);
        Assert.Equal(["[list] Meeting moved", "[list] Barrier"], bobInbox.Select(m => Mail.Parse(m).Subject));
        Assert.Equal(0, await filter.StopAsync());
    }

    [Fact]
    public async Task ListFilter_SubscribeThenPost_NewMemberReceivesCopyAndStateFileUpdated()
    {
        await using var server = await FilterTestServer.StartAsync(
            new JsonArray(ListEntry()), "alice@example.org", "dave@example.org");
        await using var filter = await StartListAsync(server, "alice@example.org");

        await server.SendAsync("dave@example.org", List, "subscribe", "please add me");
        var notice = Assert.Single(await server.WaitForMessagesAsync("dave@example.org", "Inbox", 1));
        Assert.Contains("subscribed", Mail.Parse(notice).Subject, StringComparison.Ordinal);
        Assert.Equal("auto-replied", Mail.Header(notice, "Auto-Submitted"));
        Assert.Equal("<list.example.org>", Mail.Header(notice, "List-Id"));
        Assert.Contains("dave@example.org", await File.ReadAllLinesAsync(server.File(MembersFile)));

        await server.SendAsync("alice@example.org", List, "Welcome", "Hi Dave!");
        var inbox = await server.WaitForMessagesAsync("dave@example.org", "Inbox", 2);
        Assert.Equal(2, inbox.Count);
        Assert.Equal("[list] Welcome", Mail.Parse(inbox[1]).Subject);
        Assert.Equal("Hi Dave!", Mail.Text(inbox[1]));

        await server.SendAsync("dave@example.org", List, "unsubscribe", "");
        Assert.Equal(3, (await server.WaitForMessagesAsync("dave@example.org", "Inbox", 3)).Count);
        Assert.DoesNotContain("dave@example.org", await File.ReadAllLinesAsync(server.File(MembersFile)));
        Assert.Equal(0, await filter.StopAsync());
    }

    [Fact]
    public async Task ListFilter_ReplyWithNonAsciiSubject_CopyThreadsAndEncodesTheSubject()
    {
        await using var server = await FilterTestServer.StartAsync(
            new JsonArray(ListEntry()), "alice@example.org", "bob@example.org");
        await using var filter = await StartListAsync(server, "alice@example.org", "bob@example.org");

        await server.SendRawAsync("bob@example.org", [List], """
            From: =?utf-8?q?Bj=C3=B6rn?= <bob@example.org>
            To: list@example.org
            Subject: =?utf-8?q?Re=3A_=5Blist=5D_Caf=C3=A9_=C3=A0_midi?=
            Message-ID: <reply@example.org>
            In-Reply-To: <post@example.org>
            References: <start@example.org> <post@example.org>
            Content-Type: text/html; charset=utf-8

            <p>Oui, <b>à midi</b>&nbsp;!</p>
            """);
        var copy = Assert.Single(await server.WaitForMessagesAsync("alice@example.org", "Inbox", 1));
        var parsed = Mail.Parse(copy);

        // Already prefixed: not prefixed twice. Threads where the post did; the text is the HTML's.
        Assert.Equal("Re: [list] Café à midi", parsed.Subject);
        Assert.Equal("Björn", Assert.Single(parsed.From.Mailboxes).Name);
        Assert.Equal("post@example.org", parsed.InReplyTo);
        Assert.Equal(["start@example.org", "post@example.org"], parsed.References);
        Assert.Equal("Oui, à midi !", Mail.Text(copy));
        Assert.Equal("<list.example.org>", parsed.Headers["List-Id"]);

        var header = copy.Content.AsSpan(0, copy.Content.AsSpan().IndexOf("\r\n\r\n"u8));
        Assert.True(System.Text.Ascii.IsValid(header));
        Assert.True(Mail.HasCrlfLineEnds(copy.Content));
        Assert.Equal(0, await filter.StopAsync());
    }
}
