using System.Text.Json.Nodes;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Web;

/// <summary>Web session tokens over /ws (protocol/websocket.md, "The session token"): made, used, revoked, expired, and counted against login penalties.</summary>
public sealed class WebSessionTokenTests(WebDaemon fixture) : IClassFixture<WebDaemon>
{
    private const string Password = "password-123";

    [Fact]
    public async Task Token_CreateThenLoginInAnotherConnection_LoggedIn()
    {
        await RegisterAsync("tok-a@example.org");
        string token;
        await using (var first = await WebSocketSession.LoginAsync(fixture.Daemon, "tok-a@example.org", Password))
        {
            var made = await first.RequestAsync(new { cmd = "auth.token" });
            Assert.True(made.Ok, made.Head);
            token = made.Json.GetProperty("token").GetString()!;
            Assert.Equal(43, token.Length);
            Assert.DoesNotContain('=', token);
            var expires = made.Json.GetProperty("expires").GetDateTimeOffset();
            Assert.InRange(expires, DateTimeOffset.UtcNow.AddHours(11.9), DateTimeOffset.UtcNow.AddHours(12.1));
        }

        // A reload: a new connection logs in with the token, many times, until it is revoked.
        for (var i = 0; i < 2; i++)
        {
            await using var again = await WebSocketSession.ConnectAsync(fixture.Daemon);
            var login = await again.RequestAsync(new { cmd = "login", user = "tok-a@example.org", token });
            Assert.True(login.Ok, login.Head);
            var folders = await again.RequestAsync(new { cmd = "folder.list" });
            Assert.True(folders.Ok, folders.Head);
        }
    }

    [Fact]
    public async Task Token_Logout_RevokesIt()
    {
        await RegisterAsync("tok-b@example.org");
        var token = await MakeTokenAsync("tok-b@example.org");
        await using (var web = await WebSocketSession.ConnectAsync(fixture.Daemon))
        {
            Assert.True((await web.RequestAsync(new { cmd = "login", user = "tok-b@example.org", token })).Ok);
            Assert.True((await web.RequestAsync(new { cmd = "logout" })).Ok);
        }

        await using var after = await WebSocketSession.ConnectAsync(fixture.Daemon);
        var refused = await after.RequestAsync(new { cmd = "login", user = "tok-b@example.org", token });
        Assert.Equal("auth.failed", refused.Code);
    }

    [Fact]
    public async Task Token_RevokeAll_EndsEveryToken()
    {
        await RegisterAsync("tok-c@example.org");
        var one = await MakeTokenAsync("tok-c@example.org");
        var two = await MakeTokenAsync("tok-c@example.org");
        await using (var web = await WebSocketSession.LoginAsync(fixture.Daemon, "tok-c@example.org", Password))
        {
            var revoked = await web.RequestAsync(new { cmd = "auth.revoke", all = true });
            Assert.True(revoked.Ok, revoked.Head);
            Assert.Equal(2, revoked.Json.GetProperty("revoked").GetInt32());
        }

        foreach (var token in new[] { one, two })
        {
            await using var web = await WebSocketSession.ConnectAsync(fixture.Daemon);
            Assert.Equal("auth.failed", (await web.RequestAsync(new { cmd = "login", user = "tok-c@example.org", token })).Code);
        }
    }

    [Fact]
    public async Task Token_PasswordChanged_Revoked()
    {
        await RegisterAsync("tok-d@example.org");
        var token = await MakeTokenAsync("tok-d@example.org");
        await using (var web = await WebSocketSession.LoginAsync(fixture.Daemon, "tok-d@example.org", Password))
        {
            Assert.True((await web.RequestAsync(new { cmd = "account.passwd", old = Password, @new = "another-password-1" })).Ok);
        }

        await using var after = await WebSocketSession.ConnectAsync(fixture.Daemon);
        Assert.Equal("auth.failed", (await after.RequestAsync(new { cmd = "login", user = "tok-d@example.org", token })).Code);
    }

    [Fact]
    public async Task Token_OfAnotherAccount_Refused()
    {
        await RegisterAsync("tok-e@example.org");
        await RegisterAsync("tok-f@example.org");
        var token = await MakeTokenAsync("tok-e@example.org");
        await using var web = await WebSocketSession.ConnectAsync(fixture.Daemon);
        Assert.Equal("auth.failed", (await web.RequestAsync(new { cmd = "login", user = "tok-f@example.org", token })).Code);
    }

    [Fact]
    public async Task Login_TokenAndPassword_RequestInvalid()
    {
        await using var web = await WebSocketSession.ConnectAsync(fixture.Daemon);
        var reply = await web.RequestAsync(new { cmd = "login", user = "tok-g@example.org", password = Password, token = "x" });
        Assert.Equal("request.invalid", reply.Code);
    }

    [Fact]
    public async Task Login_FailuresOverWs_CountedLikeTcp()
    {
        // Wrong passwords and wrong tokens count against the browser's address (the HTTP connection's) and the account,
        // in the same record as the TCP port's failures.
        var browser = System.Net.IPAddress.Parse("127.0.0.77");
        await RegisterAsync("tok-pen@example.org");
        await using (var tcp = await RawSession.ConnectAsync(fixture.Daemon.EndPoint, from: browser))
        {
            Assert.Equal("auth.failed", (await tcp.RequestAsync(new { cmd = "login", user = "tok-pen@example.org", password = "wrong-password" })).Code);
        }

        await using var web = await WebSocketSession.ConnectAsync(fixture.Daemon, from: browser);
        Assert.Equal("auth.failed", (await web.RequestAsync(new { cmd = "login", user = "tok-pen@example.org", password = "wrong-password" })).Code);
        Assert.Equal("auth.failed", (await web.RequestAsync(new { cmd = "login", user = "tok-pen@example.org", token = new string('A', 43) })).Code);

        List<string> Lines() => fixture.Daemon.Output.Split('\n').Where(l => l.Contains("Failed login for tok-pen@example.org from 127.0.0.77:", StringComparison.Ordinal)).ToList();
        await Eventually.TrueAsync(() => Lines().Count == 3, "the daemon logs the three failures");
        var lines = Lines();
        Assert.Contains("(failure 1 from 127.0.0.77;", lines[0], StringComparison.Ordinal);
        Assert.Contains("(failure 2 from 127.0.0.77;", lines[1], StringComparison.Ordinal);
        Assert.Contains("(failure 3 from 127.0.0.77;", lines[2], StringComparison.Ordinal);

        // The right password still logs in once the penalty is waited out, and clears the record.
        var right = await web.RequestAsync(new { cmd = "login", user = "tok-pen@example.org", password = Password });
        Assert.True(right.Ok, right.Head);
    }

    [Fact]
    public async Task Token_Expired_Refused()
    {
        using var directory = new TempDirectory("bf-web-expiry");
        var config = DaemonProcess.WriteConfig(directory.Path, configure: c =>
        {
            c["registration"] = new JsonObject { ["open"] = true };
            c["web"]!["tokenLifetimeHours"] = 0.0005; // 1.8 s
        });
        await using var daemon = await DaemonProcess.StartAsync(config);
        await using (await RawSession.RegisterAsync(daemon.EndPoint, "tok-x@example.org", Password))
        {
        }

        string token;
        await using (var web = await WebSocketSession.LoginAsync(daemon, "tok-x@example.org", Password))
        {
            token = (await web.RequestAsync(new { cmd = "auth.token" })).Json.GetProperty("token").GetString()!;
        }

        await Eventually.TrueAsync(
            async () =>
            {
                await using var web = await WebSocketSession.ConnectAsync(daemon);
                return (await web.RequestAsync(new { cmd = "login", user = "tok-x@example.org", token })).Code == "auth.failed";
            },
            "the token stops working once it has expired");
        Assert.Equal(0, await daemon.StopAsync());
    }

    private async Task RegisterAsync(string user)
    {
        await using (await RawSession.RegisterAsync(fixture.Daemon.EndPoint, user, Password))
        {
        }
    }

    private async Task<string> MakeTokenAsync(string user)
    {
        await using var web = await WebSocketSession.LoginAsync(fixture.Daemon, user, Password);
        var made = await web.RequestAsync(new { cmd = "auth.token" });
        Assert.True(made.Ok, made.Head);
        return made.Json.GetProperty("token").GetString()!;
    }
}
