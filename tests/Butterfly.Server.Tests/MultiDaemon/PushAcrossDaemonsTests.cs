using Butterfly.Client;
using Butterfly.Protocol.Contracts;
using Butterfly.TestUtilities;
using static Butterfly.Server.Tests.MultiDaemon.GroupClients;

namespace Butterfly.Server.Tests.MultiDaemon;

/// <summary>
/// Push across daemons on one PostgreSQL database (issue 17: "a change committed by one daemon
/// reaches subscribed sessions on every other"): sessions subscribe as the client library does and
/// read the events on the daemon they are connected to, whichever daemon committed the change.
/// </summary>
[Collection(PostgresDaemonsCollection.Name)]
public sealed class PushAcrossDaemonsTests(PrivatePostgres postgres)
{
    [Fact]
    public async Task Send_ThroughDaemonA_ArrivesLiveOnDaemonB_AndAFlagSetOnBReachesA()
    {
        using var directory = new TempDirectory("butterfly-two-daemons");
        await using var group = await DaemonGroup.StartAsync(directory.Path, 2, postgres.CreateDatabase(), ["example.org"], OpenRegistration);
        var (a, b) = (group[0], group[1]);

        // Accounts registered on different daemons, each logging in on the other: one mailbox.
        await using var alice = await RegisterAsync(a, "alice@example.org");
        await using var bobOnB = await RegisterAsync(b, "bob@example.org");
        await using var bobOnA = await LoginAsync(a, "bob@example.org");
        var stateOnB = await bobOnB.SubscribeAsync();
        var stateOnA = await bobOnA.SubscribeAsync();
        using var cts = new CancellationTokenSource(EventWait);
        await using var eventsOnB = bobOnB.ReadEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        await using var eventsOnA = bobOnA.ReadEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        var sent = await alice.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = "Across daemons", Text = "Sent through A." });
        Assert.Equal("delivered", Assert.Single(sent.Recipients).Status);

        var addedOnB = await NextAsync(eventsOnB, "message.added on B");
        Assert.Equal((EventNames.MessageAdded, "Inbox", "Across daemons"), (addedOnB.Event, addedOnB.Folder, addedOnB.Message!.Subject));
        Assert.True(addedOnB.State > stateOnB);
        var addedOnA = await NextAsync(eventsOnA, "message.added on A");
        Assert.Equal((EventNames.MessageAdded, addedOnB.Id, addedOnB.State), (addedOnA.Event, addedOnA.Id, addedOnA.State));
        Assert.True(addedOnA.State > stateOnA);

        // B reads what the event named, then sets a flag: A's session hears of it.
        var listed = Assert.Single((await bobOnB.ListMessagesAsync()).Messages);
        Assert.Equal(addedOnB.Id, listed.Id);
        await bobOnB.ChangeFlagsAsync("Inbox", [listed.Id], ["seen"], null);

        var flagsOnA = await NextAsync(eventsOnA, "message.flags on A");
        Assert.Equal((EventNames.MessageFlags, "Inbox", listed.Id), (flagsOnA.Event, flagsOnA.Folder, flagsOnA.Id!.Value));
        Assert.Equal(["seen"], flagsOnA.Flags);
        var flagsOnB = await NextAsync(eventsOnB, "message.flags on B");
        Assert.Equal((EventNames.MessageFlags, flagsOnA.State), (flagsOnB.Event, flagsOnB.State));

        // A's view, asked afresh, is B's: the same message, seen, at the state of the last event.
        var changes = await bobOnA.ChangesAsync(stateOnA);
        Assert.Equal(flagsOnA.State, changes.State);
        Assert.Equal(["seen"], Assert.Single((await bobOnA.ListMessagesAsync()).Messages).Flags);
    }

    [Fact]
    public async Task Send_ThroughEachOfThreeDaemons_EverySessionOnEveryDaemonGetsEveryMessageOnce()
    {
        using var directory = new TempDirectory("butterfly-three-daemons-push");
        await using var group = await DaemonGroup.StartAsync(
            directory.Path, 3, postgres.CreateDatabase(), ["example.org"], users: ["carol@example.org", "dave@example.org"]);

        var watchers = new List<ButterflyClient>();
        var streams = new List<IAsyncEnumerator<EventDto>>();
        using var cts = new CancellationTokenSource(EventWait);
        try
        {
            foreach (var daemon in group.Running)
            {
                var watcher = await LoginAsync(daemon, "dave@example.org");
                watchers.Add(watcher);
                await watcher.SubscribeAsync([EventNames.MessageAdded]);
                streams.Add(watcher.ReadEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token));
            }

            var subjects = new List<string>();
            for (var i = 0; i < group.Count; i++)
            {
                await using var carol = await LoginAsync(group[i], "carol@example.org");
                var subject = $"through daemon {i}";
                subjects.Add(subject);
                await carol.SendAsync(new SendRequest { To = ["dave@example.org"], Subject = subject, Text = "x" });
            }

            foreach (var (stream, daemon) in streams.Select((s, i) => (s, i)))
            {
                var heard = new List<string>();
                foreach (var subject in subjects)
                {
                    heard.Add((await NextAsync(stream, $"'{subject}' on daemon {daemon}")).Message!.Subject!);
                }

                Assert.Equal(subjects, heard);
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }

            foreach (var watcher in watchers)
            {
                await watcher.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task BenchPush_WatchersOnAnotherDaemon_EveryEventArrives()
    {
        using var directory = new TempDirectory("butterfly-bench-push-across");
        await using var group = await DaemonGroup.StartAsync(
            directory.Path, 2, postgres.CreateDatabase(), ["example.org"], users: ["alice@example.org", "bob@example.org"]);

        var run = await CliProcess.RunAsync(
            ["bench", "push", "--server", group[0].EndPoint, "--user", "alice@example.org", "--to", "bob@example.org",
             "--watch-server", group[1].EndPoint, "--count", "20", "--warmup", "2", "--watchers", "2", "--json"],
            environment: new Dictionary<string, string> { ["BUTTERFLY_PASSWORD"] = Password, ["BUTTERFLY_TO_PASSWORD"] = Password });

        Assert.True(run.ExitCode == 0, run.ToString());
        var result = System.Text.Json.JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(0, result.GetProperty("missing").GetInt64());
    }
}
