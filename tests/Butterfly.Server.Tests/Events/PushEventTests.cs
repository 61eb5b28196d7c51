using System.Text;
using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Events;

/// <summary>Push events and "changes since" through Butterfly.Client against the real daemon (protocol/client.md, "Events", "changes").</summary>
public sealed class PushEventTests : IAsyncLifetime
{
    private const int MaxQueued = 64;
    private readonly TempDirectory _directory = new("butterfly-push");
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, ["example.org"], c =>
        {
            c["registration"] = new JsonObject { ["open"] = true };
            c["events"] = new JsonObject { ["maxQueuedPerSession"] = MaxQueued };
        });
        _daemon = await DaemonProcess.StartAsync(config);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Subscribe_TwoSessionsOfOneUser_BothGetTheNewMessageAndTheFlagChange()
    {
        await using var alice = await RegisterAsync("alice@example.org");
        await using var phone = await RegisterAsync("bob@example.org");
        await using var laptop = await LoginAsync("bob@example.org");
        await using var carol = await RegisterAsync("carol@example.org");
        var phoneState = await phone.SubscribeAsync();
        var laptopState = await laptop.SubscribeAsync();
        await carol.SubscribeAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var phoneEvents = phone.ReadEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var laptopEvents = laptop.ReadEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        await alice.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = "Lunch?", Text = "Noon?" });

        foreach (var (events, start) in new[] { (phoneEvents, phoneState), (laptopEvents, laptopState) })
        {
            var added = await NextAsync(events);
            Assert.Equal(EventNames.MessageAdded, added.Event);
            Assert.Equal("Inbox", added.Folder);
            Assert.Equal("Lunch?", added.Message!.Subject);
            Assert.Contains("alice@example.org", added.Message.From, StringComparison.Ordinal);
            Assert.Equal(added.Id, added.Message.Id);
            Assert.True(added.State > start);
        }

        var id = (await phone.ListMessagesAsync()).Messages.Single().Id;
        await laptop.ChangeFlagsAsync("Inbox", [id], ["seen"], null);

        foreach (var events in new[] { phoneEvents, laptopEvents })
        {
            var flags = await NextAsync(events);
            Assert.Equal(EventNames.MessageFlags, flags.Event);
            Assert.Equal(("Inbox", id), (flags.Folder, flags.Id!.Value));
            Assert.Equal(["seen"], flags.Flags);
        }

        // Carol saw nothing of Bob's: her first event is her own mail.
        await alice.SendAsync(new SendRequest { To = ["carol@example.org"], Subject = "For Carol", Text = "Hi" });
        await using var carolEvents = carol.ReadEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.Equal("For Carol", (await NextAsync(carolEvents)).Message!.Subject);
        await phoneEvents.DisposeAsync();
        await laptopEvents.DisposeAsync();
    }

    [Fact]
    public async Task Subscribe_FolderAndMoveEvents_CarryNamesAndNewIds()
    {
        await using var dave = await RegisterAsync("dave@example.org");
        await using var watcher = await LoginAsync("dave@example.org");
        var unknown = await Assert.ThrowsAsync<ButterflyException>(() => watcher.SubscribeAsync(["message", "mail.arrived"]));
        Assert.Equal(ErrorCode.RequestInvalid, unknown.Error);
        Assert.Contains("'mail.arrived'", unknown.Message, StringComparison.Ordinal);
        await watcher.SubscribeAsync(["folder", "message.moved"]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = watcher.ReadEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        var id = await dave.StoreAsync("Inbox", Encoding.UTF8.GetBytes("From: x@example.org\r\nSubject: keep\r\n\r\nbody\r\n"));
        await dave.CreateFolderAsync("Work");
        var moved = await dave.MoveAsync("Inbox", [id], "Work");

        var created = await NextAsync(events);
        Assert.Equal((EventNames.FolderCreated, "Work"), (created.Event, created.Folder));
        var move = await NextAsync(events);
        Assert.Equal((EventNames.MessageMoved, "Inbox", id, "Work", moved[id]), (move.Event, move.Folder, move.Id!.Value, move.To, move.ToId!.Value));
        Assert.Equal("keep", move.Message!.Subject);

        // Renamed only once the move is told: an event names folders as they are when it is read, so a rename
        // committed before the session reads the move would (rightly) show the move into "Done".
        await dave.RenameFolderAsync("Work", "Done");
        var renamed = await NextAsync(events);
        Assert.Equal((EventNames.FolderRenamed, "Done", "Work"), (renamed.Event, renamed.Folder, renamed.OldFolder));
    }

    [Fact]
    public async Task Changes_ClientAwayDuringAHundredChanges_CatchesUpToTheSameViewAsAFullListing()
    {
        await using var erin = await RegisterAsync("erin@example.org");
        await using var sender = await RegisterAsync("frank@example.org");
        for (var i = 0; i < 10; i++)
        {
            await sender.SendAsync(new SendRequest { To = ["erin@example.org"], Subject = $"before {i}", Text = "x" });
        }

        // The client's view, and the state it was taken at.
        var state = (await erin.ChangesAsync(0)).State;
        var view = await FullViewAsync(erin);

        // Away: a hundred changes from another session.
        await using (var other = await LoginAsync("erin@example.org"))
        {
            var changes = 0;
            for (var i = 0; i < 41; i++, changes++)
            {
                await sender.SendAsync(new SendRequest { To = ["erin@example.org"], Subject = $"while away {i}", Text = "y" });
            }

            await other.CreateFolderAsync("Archive/2026");
            await other.CreateFolderAsync("Scratch");
            changes += 2;
            var inbox = (await other.ListMessagesAsync("Inbox", 500)).Messages.Select(m => m.Id).Order().ToList();
            for (var i = 0; i < 30; i++, changes++)
            {
                await other.ChangeFlagsAsync("Inbox", [inbox[i]], i % 3 == 0 ? ["flagged"] : ["seen"], null);
            }

            for (var i = 30; i < 45; i++, changes++)
            {
                await other.MoveAsync("Inbox", [inbox[i]], "Archive/2026");
            }

            for (var i = 45; i < 50; i++, changes++)
            {
                var trashed = await other.DeleteAsync("Inbox", [inbox[i]]);
                await other.DeleteAsync("Trash", [trashed.Trashed[inbox[i]]]);
                changes++;
            }

            await other.RenameFolderAsync("Archive", "Old");
            await other.DeleteFolderAsync("Scratch");
            changes += 2;
            Assert.True(changes >= 100, $"{changes} changes");
        }

        // Back: catch up page by page (small pages), folders first, then messages.
        var pages = 0;
        while (true)
        {
            var page = await erin.ChangesAsync(state, limit: 17);
            pages++;
            foreach (var folder in page.Folders)
            {
                if (folder.Change == "renamed")
                {
                    foreach (var key in view.Keys.Where(k => k.Folder == folder.OldFolder).ToList())
                    {
                        view[(folder.Folder, key.Id)] = view[key] with { Folder = folder.Folder };
                        view.Remove(key);
                    }
                }
                else if (folder.Change == "deleted")
                {
                    foreach (var key in view.Keys.Where(k => k.Folder == folder.Folder).ToList())
                    {
                        view.Remove(key);
                    }
                }
            }

            foreach (var removed in page.Removed)
            {
                view.Remove((removed.Folder, removed.Id));
            }

            foreach (var message in page.Created.Concat(page.Changed))
            {
                view[(message.Folder, message.Id)] = Row(message);
            }

            state = page.State;
            if (!page.More)
            {
                break;
            }
        }

        Assert.True(pages > 3, $"{pages} pages");
        var listing = await FullViewAsync(erin);
        Assert.Equal(listing.OrderBy(p => p.Key).Select(p => p.Value), view.OrderBy(p => p.Key).Select(p => p.Value));
        Assert.Empty((await erin.ChangesAsync(state)).Created);
    }

    [Fact]
    public async Task Changes_StateNewerThanTheAccounts_StateTooOld()
    {
        await using var gina = await RegisterAsync("gina@example.org");
        var state = (await gina.ChangesAsync(0)).State;

        var refused = await Assert.ThrowsAsync<ButterflyException>(() => gina.ChangesAsync(state + 1000));

        Assert.Equal(ErrorCode.StateTooOld, refused.Error);
        Assert.Contains("newer than", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_SessionThatDoesNotRead_GetsOneOverflowAndOthersGoOn()
    {
        await using var hank = await RegisterAsync("hank@example.org");
        await using var reader = await LoginAsync("hank@example.org");
        await reader.SubscribeAsync(["message.flags"]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var readerEvents = reader.ReadEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        // A session whose socket takes almost nothing and which reads nothing after subscribing.
        await using var stuck = await RawConnection.ConnectAsync(_daemon.EndPoint, receiveBufferBytes: 4096);
        await stuck.SendAsync(1, """{"cmd":"login","user":"hank@example.org","password":"long-password"}""");
        Assert.True((await stuck.ReadAsync())!.Ok);
        await stuck.SendAsync(2, """{"cmd":"events.subscribe"}""");
        Assert.True((await stuck.ReadAsync())!.Ok);

        // About 10 MB of events: each copy doubles the folder, and every copy is an event with a long subject.
        var subject = new string('s', 900);
        var id = await hank.StoreAsync("Inbox", Encoding.UTF8.GetBytes($"From: x@example.org\r\nSubject: {subject}\r\n\r\nbody\r\n"));
        long[] ids = [id];
        for (var i = 0; i < 13; i++)
        {
            var copies = await hank.CopyAsync("Inbox", ids, "Inbox");
            ids = [.. ids, .. copies.Values];
        }

        // The other session of the account still gets its events while the stuck one is stuck.
        await hank.ChangeFlagsAsync("Inbox", [id], ["flagged"], null);
        var flagged = await NextAsync(readerEvents);
        Assert.Equal((EventNames.MessageFlags, id), (flagged.Event, flagged.Id!.Value));

        // The stuck session, reading at last: events, then exactly one overflow, then nothing until it subscribes again.
        await stuck.SendAsync(3, """{"cmd":"events.subscribe","kinds":["message.flags"]}""");
        var overflows = 0;
        var events = 0;
        while (true)
        {
            var frame = (await stuck.ReadAsync())!;
            if (frame.Tag == 3)
            {
                Assert.True(frame.Ok);
                break;
            }

            Assert.Equal(0UL, frame.Tag);
            if (frame.Json.GetProperty("event").GetString() == EventNames.Overflow)
            {
                overflows++;
            }
            else
            {
                Assert.Equal(0, overflows);
                events++;
            }
        }

        Assert.Equal(1, overflows);
        Assert.InRange(events, 1, ids.Length - 2);

        // Subscribed again, it gets events again.
        await hank.ChangeFlagsAsync("Inbox", [id], ["seen"], null);
        var seen = (await stuck.ReadAsync())!;
        Assert.Equal(0UL, seen.Tag);
        Assert.Equal(EventNames.MessageFlags, seen.Json.GetProperty("event").GetString());
        Assert.Equal(EventNames.MessageFlags, (await NextAsync(readerEvents)).Event);
    }

    private static async Task<EventDto> NextAsync(IAsyncEnumerator<EventDto> events)
    {
        Assert.True(await events.MoveNextAsync(), "the event stream ended");
        return events.Current;
    }

    private static (string Folder, long Id, string Subject, string Flags) Row(MessageDto m) => (m.Folder, m.Id, m.Subject ?? "", string.Join(',', m.Flags));

    private static async Task<Dictionary<(string Folder, long Id), (string Folder, long Id, string Subject, string Flags)>> FullViewAsync(ButterflyClient client)
    {
        var view = new Dictionary<(string, long), (string, long, string, string)>();
        foreach (var folder in await client.ListFoldersAsync())
        {
            long? before = null;
            do
            {
                var page = await client.ListMessagesAsync(folder.Name, 500, before);
                foreach (var message in page.Messages)
                {
                    view[(message.Folder, message.Id)] = Row(message);
                }

                before = page.Next;
            }
            while (before is not null);
        }

        return view;
    }

    private async Task<ButterflyClient> RegisterAsync(string user)
    {
        var client = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await client.RegisterAsync(user, "long-password");
        return client;
    }

    private async Task<ButterflyClient> LoginAsync(string user)
    {
        var client = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await client.LoginAsync(user, "long-password");
        return client;
    }
}
