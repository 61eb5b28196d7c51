using System.Buffers.Binary;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Control;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Tests.Control;

/// <summary>The control socket of a real daemon, spoken to frame by frame (protocol/control.md).</summary>
public sealed class ControlSocketTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    private string SocketPath => ControlSocket.PathIn(Path.Combine(daemon.Directory, "data"));

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ControlSock_DaemonRunning_OnlyTheDaemonsUserMayReadOrWrite()
    {
        Assert.True(File.Exists(SocketPath), SocketPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
    }

    [Fact]
    public async Task Request_BeforeHello_HelloRequiredAndTheConnectionGoesOn()
    {
        await using var session = await RawSession.ConnectUnixAsync(SocketPath);

        var early = await session.RequestAsync(new { cmd = "user.list" });
        var hello = await session.RequestAsync(new { cmd = "hello", version = ProtocolVersion.Current });
        var list = await session.RequestAsync(new { cmd = "user.list" });

        Assert.Equal(ErrorCode.HelloRequired, early.Error);
        Assert.True(hello.Ok, hello.Head);
        Assert.True(list.Ok, list.Head);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, list.Json.GetProperty("accounts").ValueKind);
    }

    [Fact]
    public async Task Hello_NamesVersionDomainsDataFolderAndCommands()
    {
        await using var session = await RawSession.ConnectUnixAsync(SocketPath);

        var hello = (await session.RequestAsync(new { cmd = "hello", version = ProtocolVersion.Current })).Json;

        Assert.Equal(ProtocolVersion.Current, hello.GetProperty("version").GetInt32());
        Assert.StartsWith("butterfly/" + ServerInfo.Version, hello.GetProperty("server").GetString(), StringComparison.Ordinal);
        Assert.Equal(["example.org", "example.net"], hello.GetProperty("domains").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(Path.Combine(daemon.Directory, "data"), hello.GetProperty("dataDirectory").GetString());
        Assert.Equal(ControlCommandNames.All, hello.GetProperty("commands").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Hello_OtherVersion_VersionUnsupportedAndStillNotGreeted()
    {
        await using var session = await RawSession.ConnectUnixAsync(SocketPath);

        var hello = await session.RequestAsync(new { cmd = "hello", version = ProtocolVersion.Current + 1 });
        var after = await session.RequestAsync(new { cmd = "queue.list" });

        Assert.Equal(ErrorCode.HelloVersionUnsupported, hello.Error);
        Assert.Equal(ErrorCode.HelloRequired, after.Error);
    }

    [Theory]
    [InlineData("login")]
    [InlineData("register")]
    [InlineData("folder.list")]
    [InlineData("send")]
    [InlineData("peer.deliver")]
    [InlineData("filter.register")]
    public async Task ClientCommand_OnControlSocket_UnknownCommand(string command)
    {
        await using var session = await RawSession.ConnectUnixAsync(SocketPath);
        await session.RequestAsync(new { cmd = "hello" });

        var reply = await session.RequestAsync(new { cmd = command, user = "alice@example.org", password = "password-123" });

        Assert.Equal(ErrorCode.RequestUnknownCommand, reply.Error);
    }

    [Fact]
    public async Task Frame_OverTheControlLimit_FrameTooLargeThenClosed()
    {
        await using var connection = await RawConnection.ConnectUnixAsync(SocketPath);
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, ControlSocket.MaxRequestFrameBytes + 1);

        // Only the length: the limit is checked before the body is waited for (framing.md, "Limits").
        await connection.SendRawAsync(prefix);
        var error = await connection.ReadAsync();

        Assert.NotNull(error);
        Assert.Equal(0UL, error.Tag);
        Assert.Equal(ErrorCode.ProtocolFrameTooLarge, error.Error);
        Assert.True(await connection.IsClosedAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task UserCommands_OverTheSocket_AddShowPasswdDelete()
    {
        await using var session = await GreetedAsync();

        var added = await session.RequestAsync(new { cmd = "user.add", address = "Carol@Example.NET", password = "carol-password" });
        var again = await session.RequestAsync(new { cmd = "user.add", address = "carol@example.net", password = "carol-password" });
        var foreign = await session.RequestAsync(new { cmd = "user.add", address = "carol@elsewhere.example", password = "carol-password" });
        var weak = await session.RequestAsync(new { cmd = "user.passwd", address = "carol@example.net", password = "short" });
        var passwd = await session.RequestAsync(new { cmd = "user.passwd", address = "carol@example.net", password = "new-carol-password" });
        var shown = await session.RequestAsync(new { cmd = "user.show", address = "carol@example.net" });
        var listed = await session.RequestAsync(new { cmd = "user.list" });
        await using (var login = await RawSession.ConnectAsync(daemon.EndPoint))
        {
            // The daemon's own store changed: the new password logs in at once.
            Assert.True((await login.RequestAsync(new { cmd = "login", user = "carol@example.net", password = "new-carol-password" })).Ok);
        }

        var deleted = await session.RequestAsync(new { cmd = "user.del", address = "carol@example.net" });
        var gone = await session.RequestAsync(new { cmd = "user.show", address = "carol@example.net" });
        var missingField = await session.RequestAsync(new { cmd = "user.del" });

        Assert.True(added.Ok, added.Head);
        Assert.Equal("carol@example.net", added.Json.GetProperty("address").GetString());
        Assert.Equal(("account.exists", "An account carol@example.net exists already."), (again.Code, again.Json.GetProperty("message").GetString()));
        Assert.Equal(
            ("account.invalid-address", "'elsewhere.example' is not a domain this server serves (example.org, example.net)."),
            (foreign.Code, foreign.Json.GetProperty("message").GetString()));
        Assert.Equal(ErrorCode.AccountWeakPassword, weak.Error);
        Assert.True(passwd.Ok, passwd.Head);
        Assert.Equal(added.Json.GetProperty("created").GetString(), shown.Json.GetProperty("created").GetString());
        Assert.Contains(listed.Json.GetProperty("accounts").EnumerateArray(), a => a.GetProperty("address").GetString() == "carol@example.net");
        Assert.True(deleted.Ok, deleted.Head);
        Assert.Equal(("account.not-found", "No account carol@example.net."), (gone.Code, gone.Json.GetProperty("message").GetString()));
        Assert.Equal(ErrorCode.RequestInvalid, missingField.Error);
    }

    [Fact]
    public async Task QueueCommands_OverTheSocket_EmptyQueue()
    {
        await using var session = await GreetedAsync();

        var list = await session.RequestAsync(new { cmd = "queue.list" });
        var retryAll = await session.RequestAsync(new { cmd = "queue.retry" });
        var retryOne = await session.RequestAsync(new { cmd = "queue.retry", id = 424242 });
        var drop = await session.RequestAsync(new { cmd = "queue.drop", id = 424242 });
        var dropNothing = await session.RequestAsync(new { cmd = "queue.drop" });

        Assert.Empty(list.Json.GetProperty("entries").EnumerateArray());
        Assert.Equal(0, retryAll.Json.GetProperty("retried").GetInt32());
        Assert.Equal(("queue.not-found", "No queued message 424242 (see butterfly queue list)."), (retryOne.Code, retryOne.Json.GetProperty("message").GetString()));
        Assert.Equal(ErrorCode.QueueNotFound, drop.Error);
        Assert.Equal(ErrorCode.RequestInvalid, dropNothing.Error);
    }

    [Fact]
    public async Task OperatorCommands_OverTcp_UnknownCommandLoggedInOrNot()
    {
        var operatorCommands = ControlCommandNames.All.Where(c => c != ControlCommandNames.Hello).ToList();
        await using var anonymous = await RawSession.ConnectAsync(daemon.EndPoint);
        await using var loggedIn = await RawSession.RegisterAsync(daemon.EndPoint, "tcp-user@example.org");

        foreach (var session in new[] { anonymous, loggedIn })
        {
            foreach (var command in operatorCommands)
            {
                var reply = await session.RequestAsync(new { cmd = command, address = "mallory@example.org", password = "mallory-password", id = 1 });
                Assert.True(reply.Error == ErrorCode.RequestUnknownCommand, $"{command} over TCP: {reply.Head}");
            }
        }

        // And nothing happened: the account a TCP user.add named does not exist.
        await using var control = await GreetedAsync();
        Assert.Equal(ErrorCode.AccountNotFound, (await control.RequestAsync(new { cmd = "user.show", address = "mallory@example.org" })).Error);
    }

    private async Task<RawSession> GreetedAsync()
    {
        var session = await RawSession.ConnectUnixAsync(SocketPath);
        var hello = await session.RequestAsync(new { cmd = "hello", version = ProtocolVersion.Current });
        Assert.True(hello.Ok, hello.Head);
        return session;
    }
}
