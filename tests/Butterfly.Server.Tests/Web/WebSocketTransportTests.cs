using System.Buffers.Binary;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Butterfly.Protocol.Framing;
using Butterfly.Server.Tests.Infrastructure;

namespace Butterfly.Server.Tests.Web;

/// <summary>
/// <c>/ws</c> (protocol/websocket.md): the client protocol with one frame per binary message, through the same
/// sessions, limits and events as the TCP port.
/// </summary>
public sealed class WebSocketTransportTests(WebDaemon fixture) : IClassFixture<WebDaemon>
{
    private const string Password = "password-123";

    [Fact]
    public async Task Ws_HelloLoginCommand_AnsweredAsOnTcp()
    {
        await using (await RawSession.RegisterAsync(fixture.Daemon.EndPoint, "ws-hello@example.org", Password))
        {
        }

        await using var ws = await WebSocketSession.ConnectAsync(fixture.Daemon);
        var hello = await ws.RequestAsync(new { cmd = "hello", version = 1, client = "test" });
        Assert.True(hello.Ok, hello.Head);
        Assert.Equal(1, hello.Json.GetProperty("version").GetInt32());

        var before = await ws.RequestAsync(new { cmd = "folder.list" });
        Assert.Equal("auth.required", before.Code);

        var login = await ws.RequestAsync(new { cmd = "login", user = "ws-hello@example.org", password = Password });
        Assert.True(login.Ok, login.Head);
        var folders = await ws.RequestAsync(new { cmd = "folder.list" });
        Assert.Contains(folders.Json.GetProperty("folders").EnumerateArray(), f => f.GetProperty("name").GetString() == "Inbox");
    }

    [Fact]
    public async Task Ws_MailArrives_PushEventAsBinaryMessage()
    {
        await using (await RawSession.RegisterAsync(fixture.Daemon.EndPoint, "ws-push@example.org", Password))
        {
        }

        await using var ws = await WebSocketSession.LoginAsync(fixture.Daemon, "ws-push@example.org", Password);
        var subscribed = await ws.RequestAsync(new { cmd = "events.subscribe", kinds = new[] { "message" } });
        Assert.True(subscribed.Ok, subscribed.Head);

        await using var sender = await RawSession.RegisterAsync(fixture.Daemon.EndPoint, "ws-push-sender@example.org", Password);
        var sent = await sender.RequestAsync(new { cmd = "send", to = new[] { "ws-push@example.org" }, subject = "Live", text = "hi" });
        Assert.True(sent.Ok, sent.Head);

        var added = await ws.NextEventAsync();
        Assert.Equal("message.added", added.Json.GetProperty("event").GetString());
        Assert.Equal("Live", added.Json.GetProperty("message").GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Ws_OtherOrigin_RefusedWith403()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "http://evil.example");
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WebSocketSession.WsUri(fixture.Daemon), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.True(socket.HttpResponseHeaders!.ContainsKey("Content-Security-Policy"));
        Assert.True(socket.HttpResponseHeaders!.ContainsKey("X-Frame-Options"));
    }

    [Fact]
    public async Task Ws_NoOrigin_RefusedWith403()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WebSocketSession.WsUri(fixture.Daemon), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Ws_LocalhostOrigin_Accepted()
    {
        await using var ws = await WebSocketSession.ConnectAsync(fixture.Daemon, $"http://localhost:{fixture.Daemon.WebUrl!.Port}");
        var hello = await ws.RequestAsync(new { cmd = "hello", version = 1 });
        Assert.True(hello.Ok, hello.Head);
    }

    [Fact]
    public async Task Ws_PreLoginFrameOverLimit_ErrorFrameThenClose()
    {
        await using var ws = await WebSocketSession.ConnectAsync(fixture.Daemon);

        // Only the length prefix and a few bytes are sent: the limit is checked from the prefix, before the body.
        var prefix = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, 100_000);
        await ws.Socket.SendAsync(prefix, WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);

        var error = await ws.NextEventAsync();
        Assert.Equal("protocol.frame-too-large", error.Code);
        Assert.Null(await ws.ReadFrameAsync());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, ws.CloseStatus);
    }

    [Fact]
    public async Task Ws_FrameAtPreLoginLimit_Answered()
    {
        await using var ws = await WebSocketSession.ConnectAsync(fixture.Daemon);

        // A hello padded to exactly the limit (4096 bytes of payload): answered, not refused.
        var head = Encoding.UTF8.GetBytes("{\"cmd\":\"hello\",\"version\":1,\"client\":\"" + new string('x', 4096 - FrameLayout.MinPayloadSize - 40) + "\"}");
        var padded = new byte[4096 - FrameLayout.MinPayloadSize];
        Assert.True(head.Length <= padded.Length);
        var frame = FrameWriter.ToArray(1, head, new byte[padded.Length - head.Length]);
        Assert.Equal(4 + 4096, frame.Length);
        await ws.SendMessageAsync(frame);
        var reply = await ws.ReadFrameAsync();
        Assert.NotNull(reply);
        Assert.Equal(1UL, reply.Tag);
    }

    [Fact]
    public async Task Ws_TextMessage_ErrorFrameThenClose()
    {
        await using var ws = await WebSocketSession.ConnectAsync(fixture.Daemon);
        await ws.Socket.SendAsync(Encoding.UTF8.GetBytes("{\"cmd\":\"hello\"}"), WebSocketMessageType.Text, true, CancellationToken.None);
        var error = await ws.NextEventAsync();
        Assert.Equal("protocol.malformed-frame", error.Code);
        Assert.Null(await ws.ReadFrameAsync());
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, ws.CloseStatus);
    }

    [Fact]
    public async Task Ws_TwoFramesInOneMessage_ErrorFrameThenClose()
    {
        await using var ws = await WebSocketSession.ConnectAsync(fixture.Daemon);
        var one = FrameWriter.ToArray(1, "{\"cmd\":\"hello\",\"version\":1}"u8, []);
        await ws.SendMessageAsync(one.Concat(one).ToArray());

        // The first frame is answered; the message going on past it breaks the rule.
        var reply = await ws.ReadFrameAsync();
        Assert.NotNull(reply);
        var frames = new List<RawFrame> { reply };
        while (await ws.ReadFrameAsync() is { } next)
        {
            frames.Add(next);
        }

        Assert.Contains(frames, f => f.Tag == 0 && f.Code == "protocol.malformed-frame");
        Assert.Equal(WebSocketCloseStatus.ProtocolError, ws.CloseStatus);
    }

    [Fact]
    public async Task Ws_MessageShorterThanItsFrame_ErrorFrameThenClose()
    {
        await using var ws = await WebSocketSession.ConnectAsync(fixture.Daemon);
        var frame = FrameWriter.ToArray(1, "{\"cmd\":\"hello\",\"version\":1}"u8, []);
        await ws.SendMessageAsync(frame.AsMemory(0, frame.Length - 3));
        var error = await ws.NextEventAsync();
        Assert.Equal("protocol.malformed-frame", error.Code);
        Assert.Null(await ws.ReadFrameAsync());
        Assert.Equal(WebSocketCloseStatus.ProtocolError, ws.CloseStatus);
    }

    [Fact]
    public async Task Ws_FrameSplitOverFragments_OneMessageAnswered()
    {
        await using var ws = await WebSocketSession.ConnectAsync(fixture.Daemon);
        var frame = FrameWriter.ToArray(7, "{\"cmd\":\"hello\",\"version\":1}"u8, []);
        for (var i = 0; i < frame.Length; i++)
        {
            await ws.Socket.SendAsync(frame.AsMemory(i, 1), WebSocketMessageType.Binary, i == frame.Length - 1, CancellationToken.None);
        }

        var reply = await ws.ReadFrameAsync();
        Assert.NotNull(reply);
        Assert.Equal(7UL, reply.Tag);
        Assert.True(reply.Ok, reply.Head);
    }
}
