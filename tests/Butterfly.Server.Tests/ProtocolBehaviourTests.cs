using System.Buffers.Binary;
using System.Text;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Server.Tests.Infrastructure;
using Names = Butterfly.Protocol.Contracts.Commands;

namespace Butterfly.Server.Tests;

/// <summary>The wire rules of protocol/framing.md, against the real daemon over real sockets.</summary>
public sealed class ProtocolBehaviourTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task Hello_BeforeLogin_NamesVersionAndDomains()
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);
        var reply = await session.RequestAsync(new { cmd = "hello", version = 1 });
        Assert.True(reply.Ok);
        Assert.Equal(1, reply.Json.GetProperty("version").GetInt32());
        Assert.Contains("example.org", reply.Json.GetProperty("domains").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("register", reply.Json.GetProperty("capabilities").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task Hello_UnknownVersion_IsRefusedAndSessionGoesOn()
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);
        var reply = await session.RequestAsync(new { cmd = "hello", version = 99 });
        Assert.Equal(ErrorCode.HelloVersionUnsupported, reply.Error);
        Assert.True((await session.RequestAsync(new { cmd = "hello" })).Ok);
    }

    [Theory]
    [InlineData(Names.Logout)]
    [InlineData(Names.Ping)]
    [InlineData(Names.FolderList)]
    [InlineData(Names.FolderCreate)]
    [InlineData(Names.FolderRename)]
    [InlineData(Names.FolderDelete)]
    [InlineData(Names.MessageList)]
    [InlineData(Names.MessageFetch)]
    [InlineData(Names.MessageStore)]
    [InlineData(Names.MessageReplace)]
    [InlineData(Names.MessageMove)]
    [InlineData(Names.MessageCopy)]
    [InlineData(Names.MessageDelete)]
    [InlineData(Names.MessageFlags)]
    [InlineData(Names.Send)]
    public async Task Command_BeforeLogin_IsAuthRequired(string command)
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);
        var reply = await session.RequestAsync(
            new { cmd = command, folder = "Inbox", id = 1, ids = new[] { 1 }, to = "x", text = "hi" },
            Encoding.ASCII.GetBytes("From: a@example.org\r\nTo: b@example.org\r\n\r\nhi\r\n"));
        Assert.Equal(ErrorCode.AuthRequired, reply.Error);
        Assert.Equal("auth.required", reply.Code);
        Assert.False(string.IsNullOrEmpty(reply.Json.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task MalformedJson_GetsTaggedError_AndSessionContinues()
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);
        await session.Connection.SendAsync(7, "{\"cmd\": \"hello\",");
        var reply = await session.Connection.ReadAsync();
        Assert.NotNull(reply);
        Assert.Equal(7UL, reply.Tag);
        Assert.Equal(ErrorCode.RequestMalformedJson, reply.Error);

        Assert.True((await session.RequestAsync(new { cmd = "hello" })).Ok);
    }

    [Fact]
    public async Task HeadNestedTooDeep_GetsTooDeep_AndSessionContinues()
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);
        var deep = "{\"cmd\":\"hello\",\"x\":" + new string('[', 20) + new string(']', 20) + "}";
        await session.Connection.SendAsync(9, deep);
        var reply = await session.Connection.ReadAsync();
        Assert.Equal(ErrorCode.RequestTooDeep, reply!.Error);
        Assert.True((await session.RequestAsync(new { cmd = "hello" })).Ok);
    }

    [Fact]
    public async Task HeadOverLimit_GetsHeadTooLarge_AndSessionContinues()
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);
        var big = "{\"cmd\":\"hello\",\"pad\":\"" + new string('x', 5000) + "\"}";
        await session.Connection.SendAsync(3, big);
        var reply = await session.Connection.ReadAsync();
        Assert.Equal(ErrorCode.RequestHeadTooLarge, reply!.Error);
        Assert.True((await session.RequestAsync(new { cmd = "hello" })).Ok);
    }

    [Fact]
    public async Task UnknownCommand_GetsTaggedError()
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);
        var reply = await session.RequestAsync(new { cmd = "teleport" });
        Assert.Equal(ErrorCode.RequestUnknownCommand, reply.Error);
        var missing = await session.RequestAsync(new { nocmd = true });
        Assert.Equal(ErrorCode.RequestInvalid, missing.Error);
    }

    [Fact]
    public Task OversizedFrame_GetsErrorFrameAndClose_BeforeBodyIsSent() => AssertRefusedOnPrefixAsync(300_001);

    // limits.maxFrameBytesBeforeLogin is 64 KiB by default: 100,000 is under maxFrameBytes
    // (300,000 here) but over it.
    [Fact]
    public Task FrameOverTheBeforeLoginLimit_BeforeLogin_IsRefusedOnItsPrefix() => AssertRefusedOnPrefixAsync(100_000);

    /// <summary>Only the length prefix goes out: the server must judge it without waiting for the body.</summary>
    private async Task AssertRefusedOnPrefixAsync(uint declared)
    {
        await using var connection = await RawConnection.ConnectAsync(daemon.EndPoint);
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, declared);

        await connection.SendRawAsync(prefix);
        var reply = await connection.ReadAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(reply);
        Assert.Equal(FrameLayout.PushTag, reply.Tag);
        Assert.Equal(ErrorCode.ProtocolFrameTooLarge, reply.Error);
        Assert.True(await connection.IsClosedAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task FrameAtTheBeforeLoginLimit_BeforeLogin_IsRead()
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);
        var head = Encoding.UTF8.GetBytes("{\"cmd\":\"hello\"}");
        var body = new byte[(64 << 10) - FrameLayout.MinPayloadSize - head.Length];
        await session.Connection.SendRawAsync(FrameWriter.ToArray(5, head, body));

        var reply = await session.Connection.ReadAsync();

        Assert.True(reply!.Ok);
        Assert.Equal(5UL, reply.Tag);
    }

    [Fact]
    public async Task FrameAtLimit_AfterLogin_IsRead_AndOneOverIsRefused()
    {
        // maxFrameBytes is 300,000 here: after login, a payload of exactly that is a legal frame.
        await using var session = await RawSession.RegisterAsync(daemon.EndPoint, "frame-limit@example.org");
        var head = Encoding.UTF8.GetBytes("{\"cmd\":\"hello\"}");
        var body = new byte[300_000 - FrameLayout.MinPayloadSize - head.Length];
        await session.Connection.SendRawAsync(FrameWriter.ToArray(5, head, body));
        var reply = await session.Connection.ReadAsync();
        Assert.True(reply!.Ok);
        Assert.Equal(5UL, reply.Tag);

        var over = new byte[body.Length + 1];
        await session.Connection.SendRawAsync(FrameWriter.ToArray(6, head, over));
        var refused = await session.Connection.ReadAsync();
        Assert.Equal(ErrorCode.ProtocolFrameTooLarge, refused!.Error);
        Assert.True(await session.Connection.IsClosedAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ShortPayload_IsMalformedFrame_AndCloses()
    {
        await using var connection = await RawConnection.ConnectAsync(daemon.EndPoint);
        await connection.SendRawAsync(new byte[] { 3, 0, 0, 0, 1, 2, 3 });
        var reply = await connection.ReadAsync();
        Assert.Equal(ErrorCode.ProtocolMalformedFrame, reply!.Error);
        Assert.True(await connection.IsClosedAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task RequestWithTagZero_IsProtocolError_AndCloses()
    {
        await using var connection = await RawConnection.ConnectAsync(daemon.EndPoint);
        await connection.SendAsync(0, "{\"cmd\":\"hello\"}");
        var reply = await connection.ReadAsync();
        Assert.Equal(ErrorCode.ProtocolReservedTag, reply!.Error);
        Assert.Equal(0UL, reply.Tag);
        Assert.True(await connection.IsClosedAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task FrameSentOneByteAtATime_IsAnswered()
    {
        await using var connection = await RawConnection.ConnectAsync(daemon.EndPoint);
        var frame = FrameWriter.ToArray(77, Encoding.UTF8.GetBytes("{\"cmd\":\"hello\",\"version\":1}"));
        foreach (var b in frame)
        {
            await connection.SendRawAsync(new[] { b });
        }

        var reply = await connection.ReadAsync();
        Assert.Equal(77UL, reply!.Tag);
        Assert.True(reply.Ok);
    }

    [Fact]
    public async Task TwoHundredRequestsInFlight_AllGetTheirOwnReplies()
    {
        await using var session = await RawSession.RegisterAsync(daemon.EndPoint, $"inflight-{Guid.NewGuid():N}@example.org");

        // All 200 frames leave in one write before any reply is read.
        var batch = new List<byte>();
        for (ulong tag = 1000; tag < 1200; tag++)
        {
            var head = tag % 2 == 0
                ? $"{{\"cmd\":\"folder.create\",\"folder\":\"F{tag}\"}}"
                : "{\"cmd\":\"ping\"}";
            batch.AddRange(FrameWriter.ToArray(tag, Encoding.UTF8.GetBytes(head)));
        }

        await session.Connection.SendRawAsync(batch.ToArray());
        var seen = new HashSet<ulong>();
        for (var i = 0; i < 200; i++)
        {
            var reply = await session.Connection.ReadAsync();
            Assert.NotNull(reply);
            Assert.True(reply.Ok, reply.Head);
            Assert.True(seen.Add(reply.Tag), $"tag {reply.Tag} answered twice");
            Assert.InRange(reply.Tag, 1000UL, 1199UL);
            if (reply.Tag % 2 == 0)
            {
                Assert.Equal($"F{reply.Tag}", reply.Json.GetProperty("folder").GetString());
            }
            else
            {
                Assert.False(reply.Json.TryGetProperty("folder", out _));
            }
        }

        Assert.Equal(200, seen.Count);
    }

    [Fact]
    public async Task NoLoginWithinDeadline_GetsTimeoutFrameAndClose()
    {
        await using var connection = await RawConnection.ConnectAsync(daemon.EndPoint);
        var reply = await connection.ReadAsync(TimeSpan.FromSeconds(20));
        Assert.NotNull(reply);
        Assert.Equal(ErrorCode.SessionTimeout, reply.Error);
        Assert.True(await connection.IsClosedAsync(TimeSpan.FromSeconds(10)));
    }
}
