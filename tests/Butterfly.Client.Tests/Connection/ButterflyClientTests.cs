using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Butterfly.Client.Tests.Fakes;
using Butterfly.Protocol.Errors;
using Xunit;

namespace Butterfly.Client.Tests.Connection;

public sealed class ButterflyClientTests
{
    private static readonly TimeSpan _prompt = TimeSpan.FromSeconds(3);

    private static Task EchoAsync(FakeConnection connection, FakeRequest request)
    {
        var n = request.Head.TryGetProperty("n", out var value) ? value.GetInt64() : -1;
        return connection.SendAsync(request.Tag, $$"""{"ok":true,"n":{{n}}}""", request.Body);
    }

    private static byte[] Head(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public async Task ConnectAsync_Hello_ExposesServerInfo()
    {
        await using var server = new FakeServer(EchoAsync);
        await using var client = await ButterflyClient.ConnectAsync(server.Endpoint);

        Assert.True(client.IsConnected);
        Assert.Equal(1, client.Server.Version);
        Assert.Equal("fake/0.1", client.Server.Name);
        Assert.Equal(["example.org"], client.Server.Domains);
        Assert.True(client.Server.Has("send"));
        Assert.Equal(256, client.Server.Limits.MaxInFlight);
        Assert.Equal(26214400, client.Server.Limits.MaxMessageBytes);
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ThrowsConnectionException()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        await Assert.ThrowsAsync<ButterflyConnectionException>(() => ButterflyClient.ConnectAsync("127.0.0.1", port));
    }

    [Fact]
    public async Task RequestAsync_RepliesOutOfOrder_MatchedByTag()
    {
        var held = new List<FakeRequest>();
        await using var server = new FakeServer(async (connection, request) =>
        {
            held.Add(request);
            if (held.Count == 3)
            {
                // Answer newest first.
                for (var i = held.Count - 1; i >= 0; i--)
                {
                    await EchoAsync(connection, held[i]);
                }
            }
        });
        await using var client = await server.ConnectAsync();

        var tasks = Enumerable.Range(1, 3).Select(n => client.RequestAsync(Head($$"""{"cmd":"echo","n":{{n}}}"""))).ToArray();
        var replies = await Task.WhenAll(tasks).WaitAsync(_prompt);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(replies[i].Ok);
            Assert.Equal(i + 1, replies[i].Head.GetProperty("n").GetInt64());
        }

        Assert.All(held, r => Assert.NotEqual(0UL, r.Tag));
        Assert.Equal(3, held.Select(r => r.Tag).Distinct().Count());
    }

    [Fact]
    public async Task RequestAsync_200Concurrent_AllMatched()
    {
        await using var server = new FakeServer(EchoAsync);
        await using var client = await server.ConnectAsync();

        var tasks = Enumerable.Range(0, 200)
            .Select(n => Task.Run(async () =>
            {
                var body = Encoding.ASCII.GetBytes($"body-{n}");
                var reply = await client.RequestAsync(Head($$"""{"cmd":"echo","n":{{n}}}"""), body);
                return (n, reply);
            }))
            .ToArray();
        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));

        foreach (var (n, reply) in results)
        {
            Assert.True(reply.Ok);
            Assert.Equal(n, reply.Head.GetProperty("n").GetInt64());
            Assert.Equal($"body-{n}", Encoding.ASCII.GetString(reply.Body.Span));
        }

        Assert.Equal(0, client.PendingCount);
    }

    [Fact]
    public async Task RequestAsync_NoReply_TimesOutAndConnectionStaysUsable()
    {
        await using var server = new FakeServer((connection, request) =>
            request.Command == "slow" ? Task.CompletedTask : EchoAsync(connection, request));
        await using var client = await server.ConnectAsync();

        // When it fires is the core's business (PendingRequestsTests, on a fake clock); here: it
        // fires, only that request fails, and the connection goes on.
        await Assert.ThrowsAsync<TimeoutException>(() =>
            client.RequestAsync(Head("""{"cmd":"slow"}"""), timeout: TimeSpan.FromMilliseconds(200)).WaitAsync(_prompt));

        Assert.True(client.IsConnected);
        var reply = await client.RequestAsync(Head("""{"cmd":"echo","n":7}""")).WaitAsync(_prompt);
        Assert.Equal(7, reply.Head.GetProperty("n").GetInt64());
    }

    [Fact]
    public async Task RequestAsync_DefaultTimeoutFromOptions_Fires()
    {
        await using var server = new FakeServer((_, _) => Task.CompletedTask);
        await using var client = await server.ConnectAsync(new ButterflyClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(100) });

        await Assert.ThrowsAsync<TimeoutException>(() => client.PingAsync()).WaitAsync(_prompt);
    }

    [Fact]
    public async Task RequestAsync_ConnectionDrops_AllWaitingFailPromptly()
    {
        var received = 0;
        var allIn = new TaskCompletionSource();
        await using var server = new FakeServer((connection, _) =>
        {
            if (Interlocked.Increment(ref received) == 20)
            {
                allIn.TrySetResult();
            }

            return Task.CompletedTask;
        });
        await using var client = await server.ConnectAsync();

        var tasks = Enumerable.Range(0, 20).Select(n => client.RequestAsync(Head("""{"cmd":"hang"}"""))).ToArray();
        await allIn.Task.WaitAsync(_prompt);
        await server.DisposeAsync();

        foreach (var task in tasks)
        {
            await Assert.ThrowsAsync<ButterflyConnectionException>(() => task.WaitAsync(_prompt));
        }

        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<ButterflyConnectionException>(() => client.PingAsync());
    }

    [Fact]
    public async Task RequestAsync_ErrorFrameWithTagZero_FailsWaitingWithItsCode()
    {
        var received = 0;
        await using var server = new FakeServer(async (connection, _) =>
        {
            if (Interlocked.Increment(ref received) == 5)
            {
                await connection.SendAsync(0, """{"ok":false,"code":"session.timeout","message":"Idle too long."}""");
                connection.Close();
            }
        });
        await using var client = await server.ConnectAsync();

        var tasks = Enumerable.Range(0, 5).Select(_ => client.RequestAsync(Head("""{"cmd":"hang"}"""))).ToArray();

        foreach (var task in tasks)
        {
            var error = await Assert.ThrowsAsync<ButterflyConnectionException>(() => task.WaitAsync(_prompt));
            Assert.Equal("session.timeout", error.Code);
            Assert.Equal(ErrorCode.SessionTimeout, error.Error);
            Assert.Equal("Idle too long.", error.ServerMessage);
        }

        Assert.Equal("session.timeout", client.CloseReason?.Code);
    }

    [Fact]
    public async Task RequestAsync_ErrorReply_ReturnedNotThrown()
    {
        await using var server = new FakeServer((connection, request) =>
            connection.SendAsync(request.Tag, """{"ok":false,"code":"request.unknown-command","message":"No such command."}"""));
        await using var client = await server.ConnectAsync();

        var reply = await client.RequestAsync(new JsonObject { ["cmd"] = "bogus" });

        Assert.False(reply.Ok);
        Assert.Equal("request.unknown-command", reply.Code);
        Assert.Equal(ErrorCode.RequestUnknownCommand, reply.Error);
        Assert.Equal("No such command.", reply.Message);
    }

    [Fact]
    public async Task TypedHelper_ErrorReply_ThrowsButterflyExceptionWithCode()
    {
        await using var server = new FakeServer((connection, request) =>
            connection.SendAsync(request.Tag, """{"ok":false,"code":"folder.exists","message":"A folder named 'Work' exists."}"""));
        await using var client = await server.ConnectAsync();

        var error = await Assert.ThrowsAsync<ButterflyException>(() => client.CreateFolderAsync("Work"));

        Assert.Equal("folder.exists", error.Code);
        Assert.Equal(ErrorCode.FolderExists, error.Error);
        Assert.Equal("A folder named 'Work' exists.", error.Message);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Events_PushFrameWithTagZero_Delivered()
    {
        await using var server = new FakeServer(async (connection, request) =>
        {
            await connection.SendAsync(0, """{"ok":true,"event":"message.new","folder":"Inbox","id":4}""");
            await connection.SendAsync(request.Tag, """{"ok":true}""");
        });
        await using var client = await server.ConnectAsync();

        await client.PingAsync();
        var pushed = await client.Events.ReadAsync().AsTask().WaitAsync(_prompt);

        Assert.Equal(0UL, pushed.Tag);
        Assert.Equal("message.new", pushed.Head.GetProperty("event").GetString());
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task RequestAsync_Cancelled_FailsWithCancellation()
    {
        await using var server = new FakeServer((_, _) => Task.CompletedTask);
        await using var client = await server.ConnectAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.RequestAsync(Head("""{"cmd":"hang"}"""), ct: cts.Token)).WaitAsync(_prompt);
        Assert.Equal(0, client.PendingCount);
    }

    [Fact]
    public async Task RequestAsync_ServerSendsOversizedFrame_ConnectionFails()
    {
        await using var server = new FakeServer((connection, request) =>
            connection.SendAsync(request.Tag, """{"ok":true}""", new byte[4096]));
        await using var client = await server.ConnectAsync(new ButterflyClientOptions { MaxFrameBytes = 1024 });

        await Assert.ThrowsAsync<ButterflyConnectionException>(() => client.PingAsync()).WaitAsync(_prompt);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task DisposeAsync_WaitingRequests_FailWithConnectionException()
    {
        await using var server = new FakeServer((_, _) => Task.CompletedTask);
        var client = await server.ConnectAsync();
        var task = client.RequestAsync(Head("""{"cmd":"hang"}"""));

        await client.DisposeAsync();

        await Assert.ThrowsAsync<ButterflyConnectionException>(() => task.WaitAsync(_prompt));
    }

    [Fact]
    public async Task RequestAsync_ManyPipelinedFromOneCaller_AllComplete()
    {
        var tags = new ConcurrentBag<ulong>();
        await using var server = new FakeServer((connection, request) =>
        {
            tags.Add(request.Tag);
            return connection.SendAsync(request.Tag, """{"ok":true}""");
        });
        await using var client = await server.ConnectAsync();

        var tasks = new Task<ButterflyReply>[2000];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = client.RequestAsync(ButterflyClient.PingHead);
        }

        var replies = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(replies, r => Assert.True(r.Ok));
        Assert.Equal(2000, tags.Distinct().Count());
        Assert.DoesNotContain(0UL, tags);
    }

    [Fact]
    public async Task RequestAsync_FrameOverServerLimit_RefusedLocallyConnectionKept()
    {
        const string hello = """{"ok":true,"version":1,"server":"fake/0.1","domains":[],"capabilities":[],"limits":{"maxFrameBytes":1000}}""";
        var received = 0;
        await using var server = new FakeServer((connection, request) =>
        {
            Interlocked.Increment(ref received);
            return connection.SendAsync(request.Tag, """{"ok":true}""");
        }, hello);
        await using var client = await server.ConnectAsync();

        var error = await Assert.ThrowsAsync<ButterflyException>(() => client.StoreAsync("Drafts", new byte[2000]));

        Assert.Equal(ErrorCode.ProtocolFrameTooLarge, error.Error);
        await client.PingAsync();
        Assert.Equal(1, received);
    }

    [Fact]
    public async Task RequestAsync_MoreThanServerMaxInFlight_WaitsForSlots()
    {
        const string hello = """{"ok":true,"version":1,"server":"fake/0.1","domains":[],"capabilities":[],"limits":{"maxInFlight":4}}""";
        var outstanding = 0;
        var highest = 0;
        await using var server = new FakeServer(
            (connection, request) =>
            {
                var now = Interlocked.Increment(ref outstanding);
                InterlockedMax(ref highest, now);
                _ = Task.Run(async () =>
                {
                    await Task.Delay(5);
                    Interlocked.Decrement(ref outstanding);
                    await connection.SendAsync(request.Tag, """{"ok":true}""");
                });
                return Task.CompletedTask;
            },
            hello);
        await using var client = await server.ConnectAsync();

        var replies = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.RequestAsync(ButterflyClient.PingHead))).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(replies, r => Assert.True(r.Ok));
        Assert.InRange(highest, 1, 4);
        Assert.Equal(0, client.PendingCount);
    }

    [Fact]
    public async Task RequestAsync_SlotsFull_ConnectionDrop_FailsWaitersToo()
    {
        const string hello = """{"ok":true,"version":1,"server":"fake/0.1","domains":[],"capabilities":[],"limits":{"maxInFlight":2}}""";
        var received = 0;
        var twoIn = new TaskCompletionSource();
        await using var server = new FakeServer(
            (connection, _) =>
            {
                if (Interlocked.Increment(ref received) == 2)
                {
                    twoIn.TrySetResult();
                }

                return Task.CompletedTask;
            },
            hello);
        await using var client = await server.ConnectAsync();

        var tasks = Enumerable.Range(0, 6).Select(_ => client.RequestAsync(Head("""{"cmd":"hang"}"""))).ToArray();
        await twoIn.Task.WaitAsync(_prompt);
        await server.DisposeAsync();

        foreach (var task in tasks)
        {
            await Assert.ThrowsAsync<ButterflyConnectionException>(() => task.WaitAsync(_prompt));
        }

        Assert.Equal(2, received);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
