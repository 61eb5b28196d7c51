using System.Diagnostics;
using System.Text.Json.Nodes;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Tests.Federation;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Abuse;

/// <summary>
/// peer.auth naming a domain whose server accepts and never answers: the callback is bounded by the
/// login deadline, callbacks for one domain share one outbound connection, and their number is capped.
/// </summary>
public sealed class DialbackLimitTests
{
    private const double LoginTimeout = 3;

    [Fact]
    public async Task PeerAuth_BlackHolePeer_IsRefusedWithinTheLoginDeadline()
    {
        await using var peer = new BlackHolePeer();
        await using var daemon = await StartAsync(peer, ["void.example"]);
        var (session, _) = await PeerTestKit.HelloAsync(daemon.EndPoint);
        await using var _1 = session;

        var clock = Stopwatch.StartNew();
        var auth = await session.RequestAsync(new { cmd = "peer.auth", from = "void.example", to = "example.org", key = new string('7', 64) });

        // Without the bound it would wait for federation.requestTimeoutSeconds (60 s here).
        Assert.Equal(ErrorCode.PeerAuthFailed, auth.Error);
        Assert.Contains("login deadline", auth.Head, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task PeerAuth_ManyConcurrentAttemptsForOneDomain_OpenOneOutboundConnection()
    {
        await using var peer = new BlackHolePeer();
        await using var daemon = await StartAsync(peer, ["void.example"]);
        var sessions = new List<RawSession>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                sessions.Add((await PeerTestKit.HelloAsync(daemon.EndPoint)).Session);
            }

            var answers = await Task.WhenAll(sessions.Select(s =>
                s.RequestAsync(new { cmd = "peer.auth", from = "void.example", to = "example.org", key = new string('7', 64) })));

            Assert.All(answers, a => Assert.Equal(ErrorCode.PeerAuthFailed, a.Error));
            Assert.Equal(1, peer.Accepted);
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task PeerAuth_MoreCallbacksThanTheCap_IsBusy()
    {
        await using var peer = new BlackHolePeer();
        await using var daemon = await StartAsync(peer, ["one.example", "two.example", "three.example"], maxVerifications: 2);
        var (first, _) = await PeerTestKit.HelloAsync(daemon.EndPoint);
        var (second, _) = await PeerTestKit.HelloAsync(daemon.EndPoint);
        var (third, _) = await PeerTestKit.HelloAsync(daemon.EndPoint);
        await using var _1 = first;
        await using var _2 = second;
        await using var _3 = third;

        var one = first.RequestAsync(new { cmd = "peer.auth", from = "one.example", to = "example.org", key = new string('7', 64) });
        var two = second.RequestAsync(new { cmd = "peer.auth", from = "two.example", to = "example.org", key = new string('7', 64) });
        await Eventually.TrueAsync(() => peer.Accepted == 2, "both callbacks have connected");

        var busy = await third.RequestAsync(new { cmd = "peer.auth", from = "three.example", to = "example.org", key = new string('7', 64) });

        Assert.Equal(ErrorCode.ServerBusy, busy.Error);
        Assert.Contains("dialback callbacks", busy.Head, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.PeerAuthFailed, (await one).Error);
        Assert.Equal(ErrorCode.PeerAuthFailed, (await two).Error);
        Assert.Equal(2, peer.Accepted);
    }

    private static Task<AbuseDaemon> StartAsync(BlackHolePeer peer, string[] domains, int maxVerifications = 64) => AbuseDaemon.StartAsync(c =>
    {
        c["limits"] = new JsonObject { ["loginTimeoutSeconds"] = LoginTimeout };
        c["federation"] = new JsonObject
        {
            ["connectTimeoutSeconds"] = 30,
            ["requestTimeoutSeconds"] = 60,
            ["maxConcurrentVerifications"] = maxVerifications,
        };
        var peers = new JsonObject();
        foreach (var domain in domains)
        {
            peers[domain] = new JsonObject { ["address"] = peer.Address };
        }

        c["peers"] = peers;
    });
}
