using Butterfly.TestUtilities;
using Xunit.Abstractions;
using static Butterfly.Server.Tests.Scripts.ScriptNetwork;

namespace Butterfly.Server.Tests.Scripts;

/// <summary>
/// kill -9 while scripts run under load, then restart: each incoming message's effects (the message
/// the script sends, the copy it files, its count in the state) exist exactly once.
/// </summary>
public sealed class ScriptCrashTests(ITestOutputHelper output)
{
    private const int Messages = 150;

    // Some work per run (tens of ms), so runs are still under way when the daemon is killed: with the
    // pooled threads and the lazy message a run of a few ms let all 150 finish before the test saw 50.
    private const string Counter = """
        export function onMessage(message, ctx) {
          let spin = 0;
          for (let i = 0; i < 200000; i++) spin += i;
          ctx.state.count = (ctx.state.count || 0) + 1;
          ctx.state.seen = ctx.state.seen || {};
          ctx.state.seen[message.subject] = (ctx.state.seen[message.subject] || 0) + 1;
          ctx.send({ to: "carol@a.example", subject: "copy of " + message.subject, text: "n=" + ctx.state.count });
          ctx.fileInto("Seen");
        }
        """;

    [Fact]
    public async Task Runs_DaemonKilledTwiceUnderLoad_EachMessagesEffectsExistExactlyOnce()
    {
        using var directory = new TempDirectory("butterfly-script-crash");
        await using var network = await StartAsync(directory, s =>
        {
            s["maxCpuMilliseconds"] = 60000;
            s["maxStatements"] = 50_000_000;
        }, [A]);
        await ScriptAsync(network, "count@a.example", Counter);
        await using (var dave = await LoginAsync(network[A], Dave))
        {
            await Task.WhenAll(Enumerable.Range(0, Messages).Select(i => SendAsync(dave, $"m{i}", "x", "count@a.example")));
        }

        for (var round = 1; round <= 2; round++)
        {
            var target = round * Messages / 3;
            int done;
            await using (var alice = await LoginAsync(network[A], Alice))
            {
                await Eventually.TrueAsync(async () => (await RunsAsync(alice, "count@a.example")).Length >= target, $"{target} runs", TimeSpan.FromMinutes(3));
                done = (await RunsAsync(alice, "count@a.example")).Length;
            }

            await network[A].KillAsync();
            output.WriteLine($"round {round}: killed after {done} of {Messages} runs logged");
            Assert.True(done < Messages, $"all {Messages} runs were done before the kill; the test killed nothing under load");
            await network.StartAgainAsync(A);
        }

        var copies = await WaitForFolderAsync(network[A], Carol, s => s.Count == Messages, $"carol has {Messages} copies", seconds: 120);
        Assert.All(copies, c => Assert.Equal(1, c.Value));
        await using var owner = await LoginAsync(network[A], Alice);
        var filed = await Federation.QueueNetwork.SubjectsAsync(owner, "Seen");
        Assert.Equal(Messages, filed.Count);
        Assert.All(filed, f => Assert.Equal(1, f.Value));
        var state = await StateAsync(owner, "count@a.example");
        Assert.Equal(Messages, state.GetProperty("count").GetInt32());
        Assert.All(state.GetProperty("seen").EnumerateObject(), p => Assert.Equal(1, p.Value.GetInt32()));
        var runs = await RunsAsync(owner, "count@a.example");
        Assert.Equal(Messages, runs.Count(r => r.GetProperty("committed").GetBoolean()));
    }
}
