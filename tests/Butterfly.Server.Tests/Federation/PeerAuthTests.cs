using System.Text;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Federation;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Federation;

/// <summary>Dialback and the peer session states (protocol/peer.md), played with raw frames against real daemons.</summary>
public sealed class PeerAuthTests(PeerNetworkFixture fixture) : IClassFixture<PeerNetworkFixture>
{
    private const string A = "a.example";
    private const string B = "b.example";

    private PeerNetwork Network => fixture.Network;

    [Fact]
    public async Task Hello_EachConnection_GetsItsOwnConnectionId()
    {
        var (first, one) = await PeerTestKit.HelloAsync(Network[B].EndPoint);
        var (second, two) = await PeerTestKit.HelloAsync(Network[B].EndPoint);
        await using (first)
        await using (second)
        {
            Assert.Matches("^[0-9a-f]{32}$", one);
            Assert.NotEqual(one, two);
        }
    }

    [Fact]
    public async Task PeerAuth_MadeUpKey_IsRefusedAndCannotDeliver()
    {
        var (session, connection) = await PeerTestKit.HelloAsync(Network[B].EndPoint);
        await using var _ = session;

        var auth = await session.RequestAsync(new { cmd = "peer.auth", from = A, to = B, key = new string('7', 64) });
        Assert.False(auth.Ok);
        Assert.Equal(ErrorCode.PeerAuthFailed, auth.Error);

        var deliver = await session.RequestAsync(
            new { cmd = "peer.deliver", id = PeerTestKit.NewId(), from = "alice@a.example", rcpt = new[] { "bob@b.example" }, hops = 1 },
            TestMessages.Simple("alice@a.example", "bob@b.example", "forged"));
        Assert.Equal(ErrorCode.PeerNotAuthenticated, deliver.Error);

        // B asked A, and A said no: the callback happened and was refused.
        Assert.True(await PeerTestKit.WaitForLinesAsync(Network[A], $"{A} -> {B} invalid") >= 1);
        Assert.True(await PeerTestKit.WaitForLinesAsync(Network[B], $"Dialback: {A} -> {B} refused") >= 1);
        Assert.DoesNotContain($"(connection {connection})", Network[B].Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeerAuth_KeyForAnotherConnection_IsRefused()
    {
        // A key is bound to the connection id: one computed for another id does not authenticate.
        var (session, _) = await PeerTestKit.HelloAsync(Network[B].EndPoint);
        await using var _1 = session;
        var key = DialbackKeys.Compute(Encoding.UTF8.GetBytes(PeerNetwork.SecretOf(A)), B, A, new string('0', 32));

        var auth = await session.RequestAsync(new { cmd = "peer.auth", from = A, to = B, key });

        Assert.Equal(ErrorCode.PeerAuthFailed, auth.Error);
    }

    [Fact]
    public async Task PeerAuth_DomainNotServed_IsDomainUnknown()
    {
        var (session, connection) = await PeerTestKit.HelloAsync(Network[B].EndPoint);
        await using var _ = session;
        var key = DialbackKeys.Compute(Encoding.UTF8.GetBytes(PeerNetwork.SecretOf(A)), "c.example", A, connection);

        var auth = await session.RequestAsync(new { cmd = "peer.auth", from = A, to = "c.example", key });

        Assert.Equal(ErrorCode.PeerDomainUnknown, auth.Error);
    }

    [Fact]
    public async Task PeerDeliver_SenderDomainNotTheProvenOne_IsSenderMismatch()
    {
        var (session, _, _) = await PeerTestKit.AuthenticatedAsync(Network, A, B);
        await using var _1 = session;

        var deliver = await session.RequestAsync(
            new { cmd = "peer.deliver", id = PeerTestKit.NewId(), from = "mallory@evil.example", rcpt = new[] { "bob@b.example" }, hops = 1 },
            TestMessages.Simple("mallory@evil.example", "bob@b.example", "spoofed"));

        Assert.False(deliver.Ok);
        Assert.Equal(ErrorCode.PeerSenderMismatch, deliver.Error);
        Assert.DoesNotContain(await PeerTestKit.ListAsync(Network, "bob@b.example"), m => m.Subject == "spoofed");
    }

    [Fact]
    public async Task PeerSession_ClientCommands_AreRefused()
    {
        var (session, _, _) = await PeerTestKit.AuthenticatedAsync(Network, A, B);
        await using var _1 = session;

        Assert.True((await session.RequestAsync(new { cmd = "ping" })).Ok);
        Assert.Equal(ErrorCode.AuthRequired, (await session.RequestAsync(new { cmd = "folder.list" })).Error);
        Assert.Equal(ErrorCode.AuthRequired, (await session.RequestAsync(new { cmd = "message.fetch", folder = "Inbox", id = 1 })).Error);
        Assert.Equal(ErrorCode.AuthRequired, (await session.RequestAsync(new { cmd = "send", to = new[] { "bob@b.example" }, subject = "x", text = "y" })).Error);
        Assert.Equal(ErrorCode.AuthAlready, (await session.RequestAsync(new { cmd = "login", user = "bob@b.example", password = PeerNetwork.Password })).Error);

        // Logout ends the peer session.
        Assert.True((await session.RequestAsync(new { cmd = "logout" })).Ok);
        var deliver = await session.RequestAsync(
            new { cmd = "peer.deliver", id = PeerTestKit.NewId(), from = "alice@a.example", rcpt = new[] { "bob@b.example" }, hops = 1 },
            TestMessages.Simple("alice@a.example", "bob@b.example", "after logout"));
        Assert.Equal(ErrorCode.PeerNotAuthenticated, deliver.Error);
    }

    [Fact]
    public async Task PeerDeliver_LoggedInClient_IsNotAuthenticated()
    {
        await using var session = await RawSession.ConnectAsync(Network[B].EndPoint);
        var login = await session.RequestAsync(new { cmd = "login", user = "bob@b.example", password = PeerNetwork.Password });
        Assert.True(login.Ok, login.Head);

        var deliver = await session.RequestAsync(
            new { cmd = "peer.deliver", id = PeerTestKit.NewId(), from = "bob@b.example", rcpt = new[] { "carol@b.example" }, hops = 0 },
            TestMessages.Simple("bob@b.example", "carol@b.example", "as a peer"));
        var auth = await session.RequestAsync(new { cmd = "peer.auth", from = A, to = B, key = new string('1', 64) });

        Assert.Equal(ErrorCode.PeerNotAuthenticated, deliver.Error);
        Assert.Equal(ErrorCode.AuthAlready, auth.Error);
    }

    [Fact]
    public async Task PeerAuth_Resume_SkipsTheCallbackAndNeedsTheConfirmedKey()
    {
        var (first, connection, key) = await PeerTestKit.AuthenticatedAsync(Network, A, B);
        await first.DisposeAsync();
        Assert.Equal(1, await PeerTestKit.WaitForLinesAsync(Network[B], $"verified by callback (connection {connection})"));

        // A new connection presents the confirmed pair: no second callback.
        var (second, _) = await PeerTestKit.HelloAsync(Network[B].EndPoint);
        await using (second)
        {
            var resumed = await second.RequestAsync(new { cmd = "peer.auth", from = A, to = B, resume = connection, key });
            Assert.True(resumed.Ok, resumed.Head);
        }

        Assert.Equal(1, await PeerTestKit.WaitForLinesAsync(Network[B], $"resumed from cache (connection {connection})"));
        Assert.Equal(1, PeerTestKit.CountLines(Network[B], $"verified by callback (connection {connection})"));

        // The wrong key for a cached pair does not resume.
        var (third, _) = await PeerTestKit.HelloAsync(Network[B].EndPoint);
        await using (third)
        {
            var wrong = await third.RequestAsync(new { cmd = "peer.auth", from = A, to = B, resume = connection, key = new string('e', 64) });
            Assert.Equal(ErrorCode.PeerAuthFailed, wrong.Error);
        }
    }

    [Fact]
    public async Task PeerAuth_RefusedKey_IsNeverCached()
    {
        var (first, connection) = await PeerTestKit.HelloAsync(Network[B].EndPoint);
        var badKey = new string('a', 64);
        await using (first)
        {
            Assert.Equal(ErrorCode.PeerAuthFailed, (await first.RequestAsync(new { cmd = "peer.auth", from = A, to = B, key = badKey })).Error);
        }

        var (second, _) = await PeerTestKit.HelloAsync(Network[B].EndPoint);
        await using (second)
        {
            var resumed = await second.RequestAsync(new { cmd = "peer.auth", from = A, to = B, resume = connection, key = badKey });
            Assert.Equal(ErrorCode.PeerAuthFailed, resumed.Error);
        }

        Assert.Equal(0, PeerTestKit.CountLines(Network[B], $"resumed from cache (connection {connection})"));
    }

    [Fact]
    public async Task PeerVerify_AnswersOnlyForItsOwnKeys()
    {
        var secret = Encoding.UTF8.GetBytes(PeerNetwork.SecretOf(A));
        var connection = PeerTestKit.NewId();
        await using var session = await RawSession.ConnectAsync(Network[A].EndPoint);

        var good = await session.RequestAsync(new { cmd = "peer.verify", from = A, to = B, connection, key = DialbackKeys.Compute(secret, B, A, connection) });
        var bad = await session.RequestAsync(new { cmd = "peer.verify", from = A, to = B, connection, key = DialbackKeys.Compute(secret, B, A, "other") });
        var notOurs = await session.RequestAsync(new { cmd = "peer.verify", from = B, to = A, connection, key = DialbackKeys.Compute(secret, A, B, connection) });

        Assert.True(good.Json.GetProperty("valid").GetBoolean());
        Assert.False(bad.Json.GetProperty("valid").GetBoolean());
        Assert.False(notOurs.Json.GetProperty("valid").GetBoolean());
    }
}
