using System.Net;
using System.Net.Sockets;
using System.Text;
using Butterfly.Client.Tests.Fakes;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Xunit;

namespace Butterfly.Client.Tests.Connection;

/// <summary>What the client does with odd but legal, and with illegal, bytes from the server.</summary>
public sealed class ServerMisbehaviourTests
{
    private static readonly TimeSpan _prompt = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Replies_OneByteAtATime_StillParsed()
    {
        await using var server = new FakeServer(async (connection, request) =>
        {
            var frame = FrameWriter.ToArray(request.Tag, Encoding.UTF8.GetBytes("""{"ok":true,"n":42}"""), Encoding.ASCII.GetBytes("body!"));
            foreach (var b in frame)
            {
                await connection.SendRawAsync([b]);
            }
        });
        await using var client = await server.ConnectAsync();

        var reply = await client.RequestAsync(ButterflyClient.PingHead).WaitAsync(_prompt);

        Assert.Equal(42, reply.Head.GetProperty("n").GetInt32());
        Assert.Equal("body!", Encoding.ASCII.GetString(reply.Body.Span));
    }

    [Fact]
    public async Task Replies_ManyInOneWrite_AllParsed()
    {
        var held = new List<FakeRequest>();
        await using var server = new FakeServer(async (connection, request) =>
        {
            held.Add(request);
            if (held.Count == 10)
            {
                var bytes = held.SelectMany(r => FrameWriter.ToArray(r.Tag, Encoding.UTF8.GetBytes($$"""{"ok":true,"tag":{{r.Tag}}}"""))).ToArray();
                await connection.SendRawAsync(bytes);
            }
        });
        await using var client = await server.ConnectAsync();

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.RequestAsync(ButterflyClient.PingHead))).WaitAsync(_prompt);

        Assert.All(replies, r => Assert.Equal(r.Tag, r.Head.GetProperty("tag").GetUInt64()));
    }

    [Fact]
    public async Task Reply_HeadNotJson_ClosesConnection()
    {
        await using var server = new FakeServer((connection, request) => connection.SendAsync(request.Tag, "not json"));
        await using var client = await server.ConnectAsync();

        await Assert.ThrowsAsync<ButterflyConnectionException>(() => client.PingAsync()).WaitAsync(_prompt);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Frame_DeclaredTooShort_ClosesConnection()
    {
        await using var server = new FakeServer((connection, _) => connection.SendRawAsync([3, 0, 0, 0, 1, 2, 3]));
        await using var client = await server.ConnectAsync();

        await Assert.ThrowsAsync<ButterflyConnectionException>(() => client.PingAsync()).WaitAsync(_prompt);
    }

    [Fact]
    public async Task ConnectAsync_ServerBusyErrorFrame_ThrowsWithCode()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await socket.SendAsync(FrameWriter.ToArray(0, """{"ok":false,"code":"server.busy","message":"Too many connections."}"""u8));
            socket.Shutdown(SocketShutdown.Both);
        });

        var error = await Assert.ThrowsAsync<ButterflyConnectionException>(() => ButterflyClient.ConnectAsync("127.0.0.1", port));
        await serve;

        Assert.Equal(ErrorCode.ServerBusy, error.Error);
        Assert.Equal("Too many connections.", error.ServerMessage);
    }

    [Fact]
    public async Task ConnectAsync_HelloRefused_ThrowsButterflyException()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[4096];
            var received = await socket.ReceiveAsync(buffer);
            var tag = BitConverter.ToUInt64(buffer, 4);
            await socket.SendAsync(FrameWriter.ToArray(tag, """{"ok":false,"code":"hello.version-unsupported","message":"Version 1 only."}"""u8));
            await Task.Delay(200);
            return received;
        });

        var error = await Assert.ThrowsAsync<ButterflyException>(() => ButterflyClient.ConnectAsync("127.0.0.1", port));

        Assert.Equal(ErrorCode.HelloVersionUnsupported, error.Error);
        Assert.True(await serve > FrameLayout.HeaderSize);
    }

    [Fact]
    public async Task ConnectAsync_ServerSilent_TimesOut()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        await Assert.ThrowsAsync<TimeoutException>(() =>
            ButterflyClient.ConnectAsync("127.0.0.1", port, new ButterflyClientOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) })).WaitAsync(_prompt);
    }

    [Fact]
    public async Task Events_ConnectionCloses_ChannelCompletes()
    {
        await using var server = new FakeServer((_, _) => Task.CompletedTask);
        await using var client = await server.ConnectAsync();

        await server.DisposeAsync();

        await client.Events.Completion.WaitAsync(_prompt);
        Assert.False(client.IsConnected);
    }
}
