using System.Diagnostics;
using System.Text.Json.Nodes;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Abuse;

/// <summary>
/// The loginPenalty section through real sockets: failures slow the next attempt per source address
/// and per account, and the right password still logs in once the wait is over. Only lower bounds of
/// time are asserted (a wait is never shorter than asked); how the penalty grows and is forgotten is
/// checked on a fake clock in <see cref="LoginPenaltiesTests"/>.
/// </summary>
public sealed class LoginPenaltyTests
{
    private const double Initial = 0.4;

    [Fact]
    public async Task Login_AfterFailuresFromOneAddress_WaitsThenTheRightPasswordLogsIn()
    {
        await using var daemon = await StartAsync();
        await daemon.RegisterAsync("alice@example.org");
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint, AbuseDaemon.Attacker());

        Assert.Equal(ErrorCode.AuthFailed, (await WrongAsync(session, "alice@example.org")).Error);
        Assert.Equal(ErrorCode.AuthFailed, (await WrongAsync(session, "alice@example.org")).Error);
        var clock = Stopwatch.StartNew();
        Assert.Equal(ErrorCode.AuthFailed, (await WrongAsync(session, "alice@example.org")).Error);

        // After the third failure the next check waits 4 × 0.4 s from that failure, which came after the clock started.
        var right = await session.RequestAsync(new { cmd = "login", user = "alice@example.org", password = AbuseDaemon.Password });
        Assert.True(right.Ok, right.Head);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4 * Initial), $"answered after {clock.Elapsed}");
        await Eventually.TrueAsync(
            () => daemon.CountLines("(failure 3 from 127.0.0.2; the next attempt waits 1.6 s)") == 1,
            "the daemon logs the third failure and the wait it sets");
    }

    [Fact]
    public async Task Login_FailuresForOneAccountFromManyAddresses_SlowTheAccountFromAFreshAddress()
    {
        await using var daemon = await StartAsync();
        await daemon.RegisterAsync("bob@example.org");
        await daemon.RegisterAsync("carol@example.org");

        // One failure from each of three addresses: no address has a penalty past its first, the account has three.
        var clock = new Stopwatch();
        for (var n = 1; n <= 3; n++)
        {
            await using var guesser = await RawSession.ConnectAsync(daemon.EndPoint, AbuseDaemon.Attacker(n));
            if (n == 3)
            {
                clock.Start();
            }

            Assert.Equal(ErrorCode.AuthFailed, (await WrongAsync(guesser, "BOB@example.org")).Error);
        }

        await using var owner = await RawSession.ConnectAsync(daemon.EndPoint, AbuseDaemon.Legit);
        var right = await owner.RequestAsync(new { cmd = "login", user = "bob@example.org", password = AbuseDaemon.Password });
        Assert.True(right.Ok, right.Head);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4 * Initial), $"answered after {clock.Elapsed}");

        // The success cleared the account's failures; and another account was never slowed.
        await using var again = await RawSession.ConnectAsync(daemon.EndPoint, AbuseDaemon.Legit);
        Assert.True((await again.RequestAsync(new { cmd = "login", user = "bob@example.org", password = AbuseDaemon.Password })).Ok);
        await using var other = await RawSession.ConnectAsync(daemon.EndPoint, AbuseDaemon.Attacker(4));
        Assert.True((await other.RequestAsync(new { cmd = "login", user = "carol@example.org", password = AbuseDaemon.Password })).Ok);
        Assert.Equal(0, daemon.CountLines("Login for carol@example.org"));
    }

    private static Task<AbuseDaemon> StartAsync() => AbuseDaemon.StartAsync(c =>
    {
        c["limits"] = new JsonObject { ["loginTimeoutSeconds"] = 60 };
        c["loginPenalty"] = new JsonObject { ["initialDelaySeconds"] = Initial, ["maxDelaySeconds"] = 15 };
    });

    private static Task<RawFrame> WrongAsync(RawSession session, string user) =>
        session.RequestAsync(new { cmd = "login", user, password = "wrong-password" });
}
