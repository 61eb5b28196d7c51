using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.Protocol.Framing;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Sessions;

/// <summary>
/// A client that asks for large answers and never reads them (framing.md, "Limits"): its requests
/// stop being served once its reply backlog is full, and the write timeout closes it. Its own
/// daemon, with a 2 s write timeout.
/// </summary>
public sealed class ReplyBacklogTests : IAsyncLifetime
{
    private const int MessageSize = 190_000;

    private readonly TempDirectory _directory = new("butterfly-backlog");
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, ["example.org"], c =>
        {
            c["registration"] = new JsonObject { ["open"] = true };
            c["limits"] = new JsonObject
            {
                ["maxMessageBytes"] = 200_000,
                ["maxFrameBytes"] = 300_000,
                ["writeTimeoutSeconds"] = 2,
            };
        });
        _daemon = await DaemonProcess.StartAsync(config);
    }

    public async Task DisposeAsync()
    {
        await _daemon.StopAsync();
        await _daemon.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task NonReadingClient_FetchingALargeMessageOverAndOver_IsClosedAfterTheWriteTimeout()
    {
        await using var session = await RawSession.RegisterAsync(_daemon.EndPoint, "hoarder@example.org");
        var id = await StoreAsync(session);

        // 2,000 fetches of a 190 kB message in one go, and not one answer read.
        var head = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { cmd = "message.fetch", folder = "Inbox", id }));
        var requests = new List<byte>();
        for (ulong tag = 100; tag < 2_100; tag++)
        {
            requests.AddRange(FrameWriter.ToArray(tag, head));
        }

        var sending = session.Connection.SendRawAsync(requests.ToArray());
        await Eventually.TrueAsync(
            () => _daemon.Output.Contains("took none of its answers for 2 s", StringComparison.Ordinal),
            "the daemon closes the connection for its write timeout",
            TimeSpan.FromSeconds(60));

        // What the sockets held is still readable; then the connection ends, far short of 2,000 answers.
        var answers = 0;
        while (await session.Connection.ReadAsync(TimeSpan.FromSeconds(30)) is not null)
        {
            answers++;
        }

        Assert.InRange(answers, 0, 1_000);
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await sending;
            await session.Connection.SendAsync(1, """{"cmd":"ping"}""");
            await session.Connection.SendAsync(2, """{"cmd":"ping"}""");
        });
    }

    [Fact]
    public async Task ReadingClient_PipelinedFetchesPastTheBacklog_GetsEveryAnswer()
    {
        await using var session = await RawSession.RegisterAsync(_daemon.EndPoint, "reader@example.org");
        var id = await StoreAsync(session);
        var head = JsonSerializer.Serialize(new { cmd = "message.fetch", folder = "Inbox", id });

        // Twenty fetches need ten times the backlog (about two messages): they are served a few at a time.
        for (ulong tag = 100; tag < 120; tag++)
        {
            await session.Connection.SendAsync(tag, head);
        }

        var tags = new HashSet<ulong>();
        for (var i = 0; i < 20; i++)
        {
            var reply = await session.Connection.ReadAsync();
            Assert.True(reply!.Ok, reply.Head);
            Assert.InRange(reply.Body.Length, MessageSize - 200, MessageSize);
            tags.Add(reply.Tag);
        }

        Assert.Equal(20, tags.Count);
        Assert.True((await session.RequestAsync(new { cmd = "ping" })).Ok);
    }

    private static async Task<long> StoreAsync(RawSession session)
    {
        var message = TestMessages.OfSize("hoarder@example.org", "hoarder@example.org", "Large", MessageSize);
        var stored = await session.RequestAsync(new { cmd = "message.store", folder = "Inbox" }, message);
        Assert.True(stored.Ok, stored.Head);
        return stored.Json.GetProperty("id").GetInt64();
    }
}
