using Butterfly.Client.Tests.Fakes;
using Butterfly.Protocol.Contracts;
using Xunit;

namespace Butterfly.Client.Tests.Connection;

/// <summary>ReadEventsAsync, SubscribeAsync and ChangesAsync against a scripted server.</summary>
public sealed class EventStreamTests
{
    private static readonly TimeSpan _prompt = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReadEventsAsync_PushedEvents_TypedInOrderAndErrorsAreNotEvents()
    {
        await using var server = new FakeServer(async (connection, request) =>
        {
            Assert.Equal("events.subscribe", request.Command);
            Assert.Equal(["message"], request.Head.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
            await connection.SendAsync(request.Tag, """{"ok":true,"state":7,"kinds":["message.added"]}""");
            await connection.SendAsync(0, """{"ok":true,"note":"not an event"}""");
            await connection.SendAsync(0, """{"ok":true,"event":"message.added","state":8,"folder":"Inbox","id":3,"message":{"id":3,"folder":"Inbox","from":"a@b","to":[],"cc":[],"subject":"Hi","date":null,"received":"2026-11-21T12:00:01+00:00","size":10,"flags":[],"modseq":8}}""");
            await connection.SendAsync(0, """{"ok":true,"event":"message.flags","state":9,"folder":"Inbox","id":3,"flags":["seen"]}""");
        });
        await using var client = await server.ConnectAsync();

        Assert.Equal(7, await client.SubscribeAsync(["message"]));
        await using var events = client.ReadEventsAsync().GetAsyncEnumerator();

        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(_prompt));
        Assert.Equal((EventNames.MessageAdded, 8L, "Hi"), (events.Current.Event, events.Current.State, events.Current.Message!.Subject));
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(_prompt));
        Assert.Equal((EventNames.MessageFlags, 9L), (events.Current.Event, events.Current.State));
        Assert.Equal(["seen"], events.Current.Flags);
    }

    [Fact]
    public async Task ReadEventsAsync_ClientQueueFull_LaterEventsDroppedAndOneOverflowYielded()
    {
        await using var server = new FakeServer(async (connection, request) =>
        {
            for (var i = 1; i <= 5; i++)
            {
                await connection.SendAsync(0, $$"""{"ok":true,"event":"message.removed","state":{{i}},"folder":"Inbox","id":{{i}}}""");
            }

            await connection.SendAsync(request.Tag, """{"ok":true}""");
        });
        await using var client = await server.ConnectAsync(new ButterflyClientOptions { MaxQueuedEvents = 2 });

        // The ping's reply comes after the five events, so all of them have arrived when it returns.
        await client.PingAsync();
        var seen = new List<EventDto>();
        await foreach (var e in client.ReadEventsAsync().WithCancellation(new CancellationTokenSource(_prompt).Token))
        {
            seen.Add(e);
            if (e.Event == EventNames.Overflow)
            {
                break;
            }
        }

        Assert.Equal(["message.removed 1", "message.removed 2", "events.overflow 2"], seen.Select(e => $"{e.Event} {e.State}"));
    }

    [Fact]
    public async Task ChangesAsync_Reply_ParsedWithFoldersMessagesAndRemovals()
    {
        await using var server = new FakeServer(async (connection, request) =>
        {
            Assert.Equal(("changes", 41L, "Inbox", 17), (request.Command, request.Head.GetProperty("since").GetInt64(), request.Head.GetProperty("folder").GetString(), request.Head.GetProperty("limit").GetInt32()));
            await connection.SendAsync(request.Tag, """
                {"ok":true,"since":41,"state":45,"more":true,
                 "folders":[{"change":"renamed","folder":"Old","oldFolder":"Work","modseq":42}],
                 "created":[{"id":5,"folder":"Inbox","from":null,"to":[],"cc":[],"subject":"S","date":null,"received":"2026-11-21T12:00:01+00:00","size":10,"flags":[],"modseq":43}],
                 "changed":[],
                 "removed":[{"folder":"Inbox","id":2,"modseq":44,"to":"Old","toId":9}]}
                """);
        });
        await using var client = await server.ConnectAsync();

        var page = await client.ChangesAsync(41, "Inbox", 17);

        Assert.Equal((41L, 45L, true), (page.Since, page.State, page.More));
        Assert.Equal(("renamed", "Old", "Work"), (page.Folders[0].Change, page.Folders[0].Folder, page.Folders[0].OldFolder));
        Assert.Equal(5, Assert.Single(page.Created).Id);
        Assert.Empty(page.Changed);
        Assert.Equal(("Inbox", 2L, "Old", 9L), (page.Removed[0].Folder, page.Removed[0].Id, page.Removed[0].To, page.Removed[0].ToId!.Value));
    }
}
