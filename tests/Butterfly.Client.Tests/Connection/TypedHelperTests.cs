using System.Text;
using Butterfly.Client.Tests.Fakes;
using Xunit;

namespace Butterfly.Client.Tests.Connection;

/// <summary>The typed helpers send the heads of protocol/client.md and read its replies.</summary>
public sealed class TypedHelperTests
{
    private static async Task<(FakeServer Server, ButterflyClient Client, List<FakeRequest> Seen)> StartAsync(string replyHead, byte[]? replyBody = null)
    {
        var seen = new List<FakeRequest>();
        var server = new FakeServer((connection, request) =>
        {
            lock (seen)
            {
                seen.Add(request);
            }

            return connection.SendAsync(request.Tag, replyHead, replyBody);
        });
        return (server, await server.ConnectAsync(), seen);
    }

    [Fact]
    public async Task ListMessagesAsync_Reply_ParsedWithModseq()
    {
        var (server, client, seen) = await StartAsync(
            """{"ok":true,"folder":"Inbox","total":3,"next":2,"messages":[{"id":3,"folder":"Inbox","from":"Bob <bob@example.org>","to":["alice@example.org"],"cc":[],"subject":"Lunch?","date":"2026-11-21T12:00:00+00:00","received":"2026-11-21T12:00:01+00:00","size":812,"flags":["seen"],"modseq":40}]}""");
        await using var _s = server;
        await using var _c = client;

        var page = await client.ListMessagesAsync("Inbox", 2, before: 10);

        Assert.Equal(3, page.Total);
        Assert.Equal(2, page.Next);
        var message = Assert.Single(page.Messages);
        Assert.Equal(3, message.Id);
        Assert.Equal("Lunch?", message.Subject);
        Assert.Equal(40, message.ModSeq);
        Assert.Equal(["seen"], message.Flags);
        var head = seen[0].Head;
        Assert.Equal("message.list", head.GetProperty("cmd").GetString());
        Assert.Equal(2, head.GetProperty("limit").GetInt32());
        Assert.Equal(10, head.GetProperty("before").GetInt64());
    }

    [Fact]
    public async Task ListMessagesAsync_LastPage_NextIsNull()
    {
        var (server, client, _) = await StartAsync("""{"ok":true,"folder":"Inbox","total":0,"next":null,"messages":[]}""");
        await using var _s = server;
        await using var _c = client;

        var page = await client.ListMessagesAsync();

        Assert.Null(page.Next);
        Assert.Empty(page.Messages);
    }

    [Fact]
    public async Task FetchAsync_Body_ReturnedExactly()
    {
        var raw = Encoding.ASCII.GetBytes("Subject: x\r\n\r\nhello\r\n");
        var (server, client, seen) = await StartAsync(
            """{"ok":true,"folder":"Inbox","id":3,"size":22,"flags":["seen"],"received":"2026-11-21T12:00:01+00:00"}""", raw);
        await using var _s = server;
        await using var _c = client;

        var message = await client.FetchAsync("Inbox", 3);

        Assert.Equal(raw, message.Content);
        Assert.Equal(3, message.Id);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 0, 1, TimeSpan.Zero), message.Received);
        Assert.Equal(3, seen[0].Head.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task StoreAsync_BodyAndFlags_Sent()
    {
        var (server, client, seen) = await StartAsync("""{"ok":true,"folder":"Drafts","id":7}""");
        await using var _s = server;
        await using var _c = client;
        var raw = Encoding.ASCII.GetBytes("Subject: draft\r\n\r\n.\r\n");

        var id = await client.StoreAsync("Drafts", raw, ["draft"]);

        Assert.Equal(7, id);
        Assert.Equal(raw, seen[0].Body);
        Assert.Equal("draft", seen[0].Head.GetProperty("flags")[0].GetString());
    }

    [Fact]
    public async Task MoveAsync_IdMap_Parsed()
    {
        var (server, client, seen) = await StartAsync("""{"ok":true,"folder":"Archive","ids":{"3":10,"5":11}}""");
        await using var _s = server;
        await using var _c = client;

        var map = await client.MoveAsync("Inbox", [3, 5], "Archive");

        Assert.Equal(10, map[3]);
        Assert.Equal(11, map[5]);
        Assert.Equal("message.move", seen[0].Command);
        Assert.Equal("Archive", seen[0].Head.GetProperty("to").GetString());
    }

    [Fact]
    public async Task DeleteAsync_TrashedAndExpunged_Parsed()
    {
        var (server, client, _) = await StartAsync("""{"ok":true,"trashed":{"3":4},"expunged":[8,9]}""");
        await using var _s = server;
        await using var _c = client;

        var result = await client.DeleteAsync("Inbox", [3, 8, 9]);

        Assert.Equal(4, result.Trashed[3]);
        Assert.Equal([8L, 9L], result.Expunged);
    }

    [Fact]
    public async Task ChangeFlagsAsync_States_Parsed()
    {
        var (server, client, seen) = await StartAsync("""{"ok":true,"messages":[{"id":3,"flags":["flagged"],"modseq":45}]}""");
        await using var _s = server;
        await using var _c = client;

        var states = await client.ChangeFlagsAsync("Inbox", [3], ["flagged"], ["seen"]);

        Assert.Equal(3, Assert.Single(states).Id);
        Assert.Equal(45, states[0].ModSeq);
        Assert.Equal("seen", seen[0].Head.GetProperty("remove")[0].GetString());
    }

    [Fact]
    public async Task SendAsync_Simple_FieldsSentAndResultParsed()
    {
        var (server, client, seen) = await StartAsync(
            """{"ok":true,"messageId":"<a1b2@example.org>","sent":{"folder":"Sent","id":12},"recipients":[{"address":"bob@example.org","status":"delivered"}]}""");
        await using var _s = server;
        await using var _c = client;

        var result = await client.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = "Lunch?", Text = "At noon?" });

        Assert.Equal("<a1b2@example.org>", result.MessageId);
        Assert.Equal(12, result.SentId);
        Assert.Equal("delivered", Assert.Single(result.Recipients).Status);
        var head = seen[0].Head;
        Assert.Equal("At noon?", head.GetProperty("text").GetString());
        Assert.Equal("bob@example.org", head.GetProperty("to")[0].GetString());
        Assert.Empty(seen[0].Body);
    }

    [Fact]
    public async Task SendAsync_Raw_BodyAndRcptOnly()
    {
        var (server, client, seen) = await StartAsync("""{"ok":true,"messageId":"<x@y>","sent":{"folder":"Sent","id":1},"recipients":[]}""");
        await using var _s = server;
        await using var _c = client;
        var raw = Encoding.ASCII.GetBytes("To: bob@example.org\r\n\r\nhi\r\n");

        await client.SendAsync(new SendRequest { Raw = raw, Rcpt = ["bob@example.org"] });

        Assert.Equal(raw, seen[0].Body);
        Assert.False(seen[0].Head.TryGetProperty("text", out _));
        Assert.Equal("bob@example.org", seen[0].Head.GetProperty("rcpt")[0].GetString());
    }

    [Fact]
    public async Task ListFoldersAsync_EitherModseqSpelling_Parsed()
    {
        var (server, client, _) = await StartAsync(
            """{"ok":true,"folders":[{"name":"Inbox","messages":2,"unseen":1,"nextId":3,"modseq":41},{"name":"Sent","messages":0,"unseen":0,"nextId":1,"modSeq":12}]}""");
        await using var _s = server;
        await using var _c = client;

        var folders = await client.ListFoldersAsync();

        Assert.Equal(41, folders[0].ModSeq);
        Assert.Equal(12, folders[1].ModSeq);
        Assert.Equal(3, folders[0].NextId);
    }

    [Fact]
    public async Task DeleteFolderAsync_Recursive_ResultParsed()
    {
        var (server, client, seen) = await StartAsync("""{"ok":true,"deleted":["Old","Old/2026"],"messages":4}""");
        await using var _s = server;
        await using var _c = client;

        var result = await client.DeleteFolderAsync("Old", recursive: true);

        Assert.Equal(["Old", "Old/2026"], result.Deleted);
        Assert.Equal(4, result.Messages);
        Assert.True(seen[0].Head.GetProperty("recursive").GetBoolean());
    }
}
