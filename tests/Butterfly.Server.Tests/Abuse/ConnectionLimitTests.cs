using System.Text.Json.Nodes;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Tests.Infrastructure;

namespace Butterfly.Server.Tests.Abuse;

/// <summary>
/// limits.maxConnectionsPerAddress and limits.maxUnauthenticatedShare through real sockets: a flood
/// from one address, or of connections that never log in, does not keep other users out.
/// </summary>
public sealed class ConnectionLimitTests
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Connect_FloodFromOneAddressPastItsCap_IsRefusedAndAnotherAddressLogsIn()
    {
        await using var daemon = await AbuseDaemon.StartAsync(c => c["limits"] = new JsonObject
        {
            ["maxConnections"] = 30,
            ["maxConnectionsPerAddress"] = 20,
            ["maxUnauthenticatedShare"] = 1.0,
            ["loginTimeoutSeconds"] = 60,
        });
        await daemon.RegisterAsync("alice@example.org");
        var flood = new List<RawSession>();
        try
        {
            // Up to the cap, the attacker's connections are served like anyone's.
            for (var i = 0; i < 20; i++)
            {
                var session = await RawSession.ConnectAsync(daemon.EndPoint, AbuseDaemon.Attacker());
                flood.Add(session);
                Assert.True((await session.RequestAsync(new { cmd = "hello", version = 1 })).Ok);
            }

            // Past it, each further one is told server.busy, naming the address, and closed.
            for (var i = 0; i < 10; i++)
            {
                var session = await RawSession.ConnectAsync(daemon.EndPoint, AbuseDaemon.Attacker());
                flood.Add(session);
                var refused = await session.Connection.ReadAsync(Reply);
                Assert.NotNull(refused);
                Assert.Equal(0UL, refused.Tag);
                Assert.Equal(ErrorCode.ServerBusy, refused.Error);
                Assert.Contains("127.0.0.2", refused.Head, StringComparison.Ordinal);
                Assert.True(await session.Connection.IsClosedAsync(Reply));
            }

            // Another address still gets a slot and logs in.
            await using var legit = await RawSession.ConnectAsync(daemon.EndPoint, AbuseDaemon.Legit);
            var login = await legit.RequestAsync(new { cmd = "login", user = "alice@example.org", password = AbuseDaemon.Password });
            Assert.True(login.Ok, login.Head);
        }
        finally
        {
            foreach (var session in flood)
            {
                await session.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Connect_ConnectionsNotLoggedInFillTheServer_OldestOfTheBusiestSourceMakesRoom()
    {
        await using var daemon = await AbuseDaemon.StartAsync(c => c["limits"] = new JsonObject
        {
            ["maxConnections"] = 20,
            ["maxConnectionsPerAddress"] = 100,
            ["maxUnauthenticatedShare"] = 0.5,
            ["loginTimeoutSeconds"] = 60,
        });
        await daemon.RegisterAsync("alice@example.org");
        await using var loggedIn = await RawSession.ConnectAsync(daemon.EndPoint, AbuseDaemon.Legit);
        Assert.True((await loggedIn.RequestAsync(new { cmd = "login", user = "alice@example.org", password = AbuseDaemon.Password })).Ok);

        var flood = new List<RawSession>();
        try
        {
            // Ten connections that never log in take the unauthenticated share (half of 20).
            for (var i = 0; i < 10; i++)
            {
                flood.Add(await HelloAsync(daemon, AbuseDaemon.Attacker(1)));
            }

            // Each further one closes the oldest idle connection of the busiest source instead of
            // being refused, also past the total of 20.
            for (var i = 0; i < 25; i++)
            {
                flood.Add(await HelloAsync(daemon, AbuseDaemon.Attacker(1)));
                await AssertClosedBusyAsync(flood[i]);
            }

            // A new user from another address still gets in (closing the flood's oldest) and logs in;
            // the session logged in before was never touched.
            await using var legit = await RawSession.ConnectAsync(daemon.EndPoint, AbuseDaemon.Legit);
            var login = await legit.RequestAsync(new { cmd = "login", user = "alice@example.org", password = AbuseDaemon.Password });
            Assert.True(login.Ok, login.Head);
            await AssertClosedBusyAsync(flood[25]);
            Assert.True((await loggedIn.RequestAsync(new { cmd = "ping" })).Ok);
        }
        finally
        {
            foreach (var session in flood)
            {
                await session.DisposeAsync();
            }
        }
    }

    private static async Task AssertClosedBusyAsync(RawSession session)
    {
        var closed = await session.Connection.ReadAsync(Reply);
        Assert.NotNull(closed);
        Assert.Equal(ErrorCode.ServerBusy, closed.Error);
        Assert.True(await session.Connection.IsClosedAsync(Reply));
    }

    private static async Task<RawSession> HelloAsync(AbuseDaemon daemon, System.Net.IPAddress from)
    {
        var session = await RawSession.ConnectAsync(daemon.EndPoint, from);
        var hello = await session.RequestAsync(new { cmd = "hello", version = 1 });
        Assert.True(hello.Ok, hello.Head);
        return session;
    }
}
