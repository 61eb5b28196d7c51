using System.Text.Json.Nodes;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;
using static Butterfly.Server.Tests.Scripts.ScriptNetwork;

namespace Butterfly.Server.Tests.Scripts;

/// <summary>
/// Scripts that go past a limit are stopped with nothing committed: the message is held and run again
/// after each retry, then bounced to its sender with the reason; the owner sees every run in the
/// log; the daemon delivers other mail meanwhile.
/// </summary>
public sealed class ScriptLimitTests
{
    private static readonly (string Address, string Outcome, string Source)[] Runaways =
    [
        ("loop@a.example", "statement-limit", "export function onMessage(message, ctx) { ctx.state.touched = true; while (true) {} }"),
        ("bomb@a.example", "memory-limit", "export function onMessage(message, ctx) { const a = []; while (true) a.push('x'.repeat(1000000) + a.length); }"),
        ("deep@a.example", "recursion-limit", "function down(n) { return down(n + 1) + 1; }\nexport function onMessage(message, ctx) { down(0); }"),
        ("sends@a.example", "send-limit", "export function onMessage(message, ctx) { for (let i = 0; i < 10000; i++) ctx.send({ to: 'carol@a.example', subject: 'flood ' + i, text: 'x' }); }"),
        ("state@a.example", "state-limit", "export function onMessage(message, ctx) { ctx.send({ to: 'carol@a.example', subject: 'before the state', text: 'x' }); ctx.state.big = 'x'.repeat(2 * 1024 * 1024); }"),
    ];

    [Fact]
    public async Task Run_PastEachLimit_NothingCommittedHeldRetriedThenBouncedWhileOtherMailFlows()
    {
        using var directory = new TempDirectory("butterfly-script-limits");

        // A generous time limit, so on a busy machine the limit each script is after is the one that stops it.
        await using var network = await StartAsync(directory, s => s["maxCpuMilliseconds"] = 60000, [A]);
        foreach (var (address, _, source) in Runaways)
        {
            await ScriptAsync(network, address, source);
        }

        await using var dave = await LoginAsync(network[A], Dave);
        foreach (var (address, _, _) in Runaways)
        {
            await SendAsync(dave, "to " + address, "hello script", address);
        }

        await SendAsync(dave, "plain mail", "for carol", Carol);

        // Each message comes back to dave as a bounce once its retries are used up.
        var bounces = await WaitForFolderAsync(network[A], Dave, s => Runaways.All(r => s.ContainsKey("Undelivered mail: to " + r.Address)), "dave has every bounce");
        Assert.All(Runaways, r => Assert.Equal(1, bounces["Undelivered mail: to " + r.Address]));

        // Carol got dave's plain mail and nothing any runaway sent.
        Assert.Equal(["plain mail"], (await SubjectsAsync(network[A], Carol)).Keys);

        await using var alice = await LoginAsync(network[A], Alice);
        foreach (var (address, outcome, _) in Runaways)
        {
            var runs = await RunsAsync(alice, address);
            Assert.Equal(3, runs.Length);
            Assert.All(runs, r => Assert.Equal(outcome, r.GetProperty("outcome").GetString()));
            Assert.All(runs, r => Assert.False(r.GetProperty("committed").GetBoolean()));
            Assert.Contains("held, retry 1 of 2", runs[0].GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Contains("held, retry 2 of 2", runs[1].GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Contains("bounced", runs[2].GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Empty((await StateAsync(alice, address)).EnumerateObject());
        }

        var dump = await dave.ListMessagesAsync("Inbox", 100);
        var loopBounce = dump.Messages.Single(m => m.Subject == "Undelivered mail: to loop@a.example");
        var report = DeliveryReportView.Parse((await dave.FetchAsync("Inbox", loopBounce.Id)).Content);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Contains("script.failed", recipient["Diagnostic-Code"], StringComparison.Ordinal);
        Assert.Contains("statement-limit", recipient["Diagnostic-Code"], StringComparison.Ordinal);
        Assert.Equal("to loop@a.example", report.OriginalHeaders["Subject"]);
    }

    [Fact]
    public async Task Run_LongLoop_OtherAddressesAndAccountsAreServedMeanwhile()
    {
        using var directory = new TempDirectory("butterfly-script-busy");

        // A loop that runs 15 s before it is stopped: long enough to see everything else go on.
        await using var network = await StartAsync(directory, s =>
        {
            s["maxCpuMilliseconds"] = 15000;
            s["maxStatements"] = 1_000_000_000_000;
            s["retrySeconds"] = new JsonArray(3600);
        }, [A]);
        await ScriptAsync(network, "loop@a.example", "export function onMessage(message, ctx) { while (true) {} }");
        await ScriptAsync(network, "echo@a.example", "export function onMessage(message, ctx) { ctx.send({ to: 'carol@a.example', subject: 'echo: ' + message.subject, text: 'x' }); }");
        await using var dave = await LoginAsync(network[A], Dave);
        await using var alice = await LoginAsync(network[A], Alice);
        await SendAsync(dave, "spin", "x", "loop@a.example");
        await Eventually.TrueAsync(
            async () => (await RequestAsync(alice, new JsonObject { ["cmd"] = "script.list" })).Head.GetProperty("scripts").EnumerateArray().Any(s => s.GetProperty("address").GetString() == "loop@a.example"),
            "the loop's script is listed");

        await SendAsync(dave, "direct", "x", Carol);
        await SendAsync(dave, "through the echo", "x", "echo@a.example");
        await WaitForFolderAsync(network[A], Carol, s => s.ContainsKey("direct") && s.ContainsKey("echo: through the echo"), "carol has both while the loop runs");

        // The loop was still running: its first run is not in the log yet.
        Assert.Empty(await RunsAsync(alice, "loop@a.example"));
        await Eventually.TrueAsync(async () => (await RunsAsync(alice, "loop@a.example")).Length == 1, "the loop is stopped", TimeSpan.FromSeconds(60));
        var run = Assert.Single(await RunsAsync(alice, "loop@a.example"));
        Assert.Equal("time-limit", run.GetProperty("outcome").GetString());
    }
}
