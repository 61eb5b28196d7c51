using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Filters;

/// <summary>Chain order and the hop limit (protocol/filter.md, "Order of application", "Hop limit").</summary>
public sealed class ChainTests
{
    [Fact]
    public async Task Chain_TwoFilters_RunInConfiguredOrderAndSeeEarlierEdits()
    {
        // "second" is listed after "first" but started before it: the order is the configuration's.
        await using var server = await FilterServer.StartAsync(
            [FilterServer.Filter("first", "tempfail", 5, "inbound"), FilterServer.Filter("second", "tempfail", 5, "inbound")]);
        await server.StartProbeAsync("second");
        await server.StartProbeAsync("first");

        var raw = System.Text.Encoding.UTF8.GetBytes(
            "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: chain order\r\n" +
            """X-Probe-first: {"verdict":"quarantine","headers":[{"op":"add","name":"X-First","value":"1"}]}""" + "\r\n" +
            """X-Probe-second: {"headers":[{"op":"add","name":"X-Second","value":"2"}]}""" + "\r\n\r\nbody\r\n");
        await server.SendAsync(raw);

        var log = server.LogFor("chain order");
        Assert.Equal(["first", "second"], log.Select(l => (string?)l["name"]));
        Assert.Equal(["quarantine", "accept"], log.Select(l => (string?)l["verdict"]));

        // Quarantine continued the chain; the later filter's field is on top.
        var stored = await server.FetchAsync("bob", "chain order", "Junk");
        Assert.Contains("X-Second: 2\r\nX-First: 1\r\n", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chain_FirstRejects_SecondNeverAsked()
    {
        await using var server = await FilterServer.StartAsync(
            [FilterServer.Filter("first", "tempfail", 5, "inbound"), FilterServer.Filter("second", "tempfail", 5, "inbound")]);
        await server.StartProbeAsync("first");
        await server.StartProbeAsync("second");
        var refused = await Assert.ThrowsAsync<Butterfly.Client.ButterflyException>(() =>
            server.SendAsync(FilterServer.Message("stop here", """{"verdict":"reject"}""", probeField: "X-Probe-first")));
        Assert.Equal("filter.rejected", refused.Code);
        Assert.Equal(["first"], server.LogFor("stop here").Select(l => (string?)l["name"]));
    }

    [Fact]
    public async Task Inject_LoopBackIntoItself_StoppedByHopLimit()
    {
        const int maxHops = 4;
        await using var server = await FilterServer.StartAsync([FilterServer.Filter("looper", "tempfail", 5)], maxHops: maxHops);
        await server.StartProbeAsync("looper", "--stages", "", "--claim", "loop@example.org");

        // Every copy carries the same instruction: inject myself to loop@example.org again.
        var instruction = """{"verdict":"discard","inject":[{"sender":"loop@example.org","recipients":["loop@example.org"],"copy":true}]}""";
        await server.SendAsync(FilterServer.Message("round and round", instruction, to: "loop@example.org"), "loop@example.org");

        // The loop ends when the daemon refuses an injection as a loop (it logs that); the
        // verdict behind that injection was logged before it, so the count is final then.
        await Eventually.TrueAsync(() => Regex.IsMatch(server.Daemon.Output, "message\\.loop|a loop"), "the daemon refuses the loop");
        var count = server.LogFor("round and round").Count;
        Assert.InRange(count, 2, maxHops + 1);
        var hops = server.LogFor("round and round").Select(l => (int)l["hops"]!).ToList();
        Assert.Equal(hops.Order().ToList(), hops);
    }

    [Fact]
    public async Task Claim_ClaimantAbsent_ItsPolicyApplies()
    {
        var claimant = FilterServer.Filter("lists", "reject", 1);
        claimant["claims"] = new JsonArray("team@example.org");
        await using var server = await FilterServer.StartAsync([claimant]);
        var refused = await Assert.ThrowsAsync<Butterfly.Client.ButterflyException>(() =>
            server.SendAsync(FilterServer.Message("nobody home", to: "team@example.org"), "team@example.org"));
        Assert.Equal("filter.rejected", refused.Code);
        Assert.Contains("lists", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_Sigterm_ExitsCleanlyAndServerSeesItGo()
    {
        await using var server = await FilterServer.StartAsync([FilterServer.Filter("gate", "reject", 2, "inbound")]);
        var probe = await server.StartProbeAsync("gate", "--connections", "3");
        Assert.Equal(0, await probe.StopAsync());
        Assert.Contains("filter gate: stopped", probe.Output, StringComparison.Ordinal);

        // Gone: the reject policy applies at once.
        var refused = await Assert.ThrowsAsync<Butterfly.Client.ButterflyException>(() => server.SendAsync(FilterServer.Message("after stop")));
        Assert.Equal("filter.rejected", refused.Code);
        Assert.Contains("is not connected", refused.Message, StringComparison.Ordinal);
    }
}
