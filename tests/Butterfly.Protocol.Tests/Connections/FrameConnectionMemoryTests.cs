using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Framing;
using Butterfly.Protocol.Tests.Support;
using Butterfly.TestUtilities;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Butterfly.Protocol.Tests.Connections;

/// <summary>
/// What one connection may make the process hold (framing.md, "Limits"): large frames gathered
/// outside the transport's buffer against a shared budget, a bounded backlog of answers, and a
/// write timeout for a side that takes none of them. The harness's pipes pause their writer at
/// 64 KiB unread, like a transport that stops reading a socket.
/// </summary>
public sealed class FrameConnectionMemoryTests
{
    private static readonly byte[] _ok = """{"ok":true}"""u8.ToArray();

    private static FrameConnectionOptions Serving(ByteBudget? budget = null, long backlog = long.MaxValue, TimeProvider? time = null) => new()
    {
        Routing = FrameRouting.Requests,
        MaxFrameBytes = 1 << 20,
        FrameBudget = budget,
        MaxReplyBacklogBytes = backlog,
        WriteTimeout = time is null ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(30),
        TimeProvider = time ?? TimeProvider.System,
        Description = "the test",
    };

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 7 + (i >> 16));
        }

        return bytes;
    }

    [Fact]
    public async Task LargeFrame_LargerThanTheTransportBuffer_ArrivesWhole()
    {
        await using var h = new ConnectionHarness(Serving());
        var body = Pattern(300_000);
        var large = RawFrames.Frame(1, """{"cmd":"big"}""", body);
        var small = RawFrames.Frame(2, """{"cmd":"small"}""");

        // Split across the length prefix, and with the next frame in the same write as the end.
        await h.Send(large[..2]);
        await h.Send(large[2..100_000]);
        await h.Send([.. large[100_000..], .. small]);

        var first = await h.NextAsync();
        Assert.Equal((1UL, """{"cmd":"big"}"""), (first.Tag, first.Head));
        Assert.Equal(body, first.Body);
        Assert.Equal(2UL, (await h.NextAsync()).Tag);
    }

    [Fact]
    public async Task LargeFrame_ReservesItsBytesFromTheBudget_AndGivesThemBack()
    {
        var budget = new ByteBudget(1 << 20);
        await using var h = new ConnectionHarness(Serving(budget));
        var frame = RawFrames.Frame(1, """{"cmd":"big"}""", Pattern(200_000));
        long seen = -1;
        h.OnRequest = _ =>
        {
            seen = budget.InUse;
            return ValueTask.CompletedTask;
        };

        await h.Send(frame);
        await h.NextAsync();

        Assert.Equal(frame.Length, seen);
        await Eventually.TrueAsync(() => budget.InUse == 0, "the frame's bytes are back");
    }

    [Fact]
    public async Task FrameBudget_Spent_StopsReadingUntilBytesComeBack()
    {
        var budget = new ByteBudget(300_000);
        var held = await budget.ReserveAsync(250_000);
        await using var h = new ConnectionHarness(Serving(budget));
        var frame = RawFrames.Frame(1, """{"cmd":"big"}""", Pattern(100_000));

        // Not awaited: the connection reads nothing of the body while it waits, so the pipe fills.
        var sending = h.Send(frame);
        await Eventually.TrueAsync(() => budget.Waiting == 1, "the connection waits for the budget");
        Assert.False(h.TryNext(out _));
        Assert.Equal(250_000, budget.InUse);

        budget.Release(held);

        var request = await h.NextAsync();
        Assert.Equal(100_000, request.Body.Length);
        await sending;
        await Eventually.TrueAsync(() => budget.InUse == 0, "the frame's bytes are back");
    }

    [Fact]
    public async Task FrameBudget_ConnectionAbortedWhileWaiting_LeavesTheQueue()
    {
        var budget = new ByteBudget(300_000);
        var held = await budget.ReserveAsync(300_000);
        var h = new ConnectionHarness(Serving(budget));
        _ = h.Send(RawFrames.Frame(1, """{"cmd":"big"}""", Pattern(100_000)));
        await Eventually.TrueAsync(() => budget.Waiting == 1, "the connection waits for the budget");

        await h.DisposeAsync();

        Assert.Equal(0, budget.Waiting);
        budget.Release(held);
        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public async Task ReplyBacklog_OverTheLimit_StopsHandingOnRequestsUntilItDrains()
    {
        await using var h = new ConnectionHarness(Serving(backlog: 100_000));
        await h.Send(1, """{"cmd":"fetch"}""");
        await h.NextAsync();
        h.Connection.Reply(1, _ok, Pattern(150_000));
        Assert.True(h.Connection.ReplyBacklogBytes >= 100_000);

        // The other side sends another request but reads nothing: it is not handed on.
        await h.Send(2, """{"cmd":"fetch"}""");
        await Eventually.TrueAsync(() => h.Connection.ReplyBacklogBytes >= 100_000, "the answer waits for the other side");
        Assert.False(h.TryNext(out _));

        Assert.Equal(DecodedFrame.Of(1, _ok, Pattern(150_000)), await h.ReadFrameAsync());
        Assert.Equal(2UL, (await h.NextAsync()).Tag);
        await Eventually.TrueAsync(() => h.Connection.ReplyBacklogBytes == 0, "the backlog is empty");
    }

    [Fact]
    public async Task LargeAnswer_WrittenInSlices_ArrivesWhole_AndLeavesTheBacklog()
    {
        await using var h = new ConnectionHarness(Serving());
        await h.Send(1, """{"cmd":"fetch"}""");
        await h.Send(2, """{"cmd":"ping"}""");
        await h.NextAsync();
        await h.NextAsync();
        var body = Pattern(3_000_000);

        h.Connection.Reply(1, _ok, body);
        h.Connection.Reply(2, _ok);

        Assert.Equal(DecodedFrame.Of(1, _ok, body), await h.ReadFrameAsync());
        Assert.Equal(DecodedFrame.Of(2, _ok, []), await h.ReadFrameAsync());
        await Eventually.TrueAsync(() => h.Connection.ReplyBacklogBytes == 0 && h.Connection.IncomingInFlight == 0, "both answers are out");
    }

    [Fact]
    public async Task ReserveReplyAsync_NoRoom_WaitsUntilAnswersAreTaken()
    {
        await using var h = new ConnectionHarness(Serving(backlog: 200_000));
        await h.Send(1, """{"cmd":"fetch"}""");
        await h.NextAsync();

        Assert.True(await h.Connection.ReserveReplyAsync(150_000));
        var second = h.Connection.ReserveReplyAsync(150_000);
        Assert.False(second.IsCompleted);

        // The first answer turns out small: its room goes back and the second fits.
        h.Connection.Reply(1, _ok, reserved: 150_000);
        Assert.True(await second.WaitAsync(ConnectionHarness.Prompt));
        Assert.Equal(DecodedFrame.Of(1, _ok, []), await h.ReadFrameAsync());
        await Eventually.TrueAsync(() => h.Connection.ReplyBacklogBytes == 150_000, "only the second reservation is left");
    }

    [Fact]
    public async Task ReserveReplyAsync_LargerThanTheLimit_WaitsForAnEmptyBacklogOnly()
    {
        await using var h = new ConnectionHarness(Serving(backlog: 100_000));

        Assert.True(await h.Connection.ReserveReplyAsync(500_000));
        Assert.Equal(500_000, h.Connection.ReplyBacklogBytes);
    }

    [Fact]
    public async Task NonReadingSide_ManyLargeAnswers_BacklogStaysBounded_AndAllAreAnsweredOnceItReads()
    {
        const long limit = 300_000;
        const int answer = 100_000;
        await using var h = new ConnectionHarness(Serving(backlog: limit));
        long highest = 0;
        void Answer(ulong tag)
        {
            h.Connection.Reply(tag, _ok, Pattern(answer), reserved: answer);
            highest = Math.Max(highest, h.Connection.ReplyBacklogBytes);
        }

        // A fetch-like receiver: room for the answer first (a barrier while there is none).
        h.OnRequest = r =>
        {
            var room = h.Connection.ReserveReplyAsync(answer);
            if (room.IsCompletedSuccessfully)
            {
                Answer(r.Tag);
                return ValueTask.CompletedTask;
            }

            return new ValueTask(room.ContinueWith(_ => Answer(r.Tag), TaskScheduler.Default));
        };

        for (ulong tag = 1; tag <= 50; tag++)
        {
            await h.Send(tag, """{"cmd":"fetch"}""");
        }

        await Eventually.TrueAsync(() => h.Connection.ReplyBacklogBytes >= limit - answer, "the backlog fills");
        var body = Pattern(answer);
        for (ulong tag = 1; tag <= 50; tag++)
        {
            Assert.Equal(DecodedFrame.Of(tag, _ok, body), await h.ReadFrameAsync());
        }

        var frameBytes = FrameLayout.FrameSize(_ok.Length, answer);
        Assert.InRange(highest, 1, limit + frameBytes);
        await Eventually.TrueAsync(() => h.Connection.ReplyBacklogBytes == 0, "the backlog is empty");
    }

    [Fact]
    public async Task WriteTimeout_OtherSideTakesNothing_AbortsAndDropsTheBacklog()
    {
        var time = new FakeTimeProvider();
        await using var h = new ConnectionHarness(Serving(time: time));
        await h.Send(1, """{"cmd":"fetch"}""");
        await h.NextAsync();
        h.Connection.Reply(1, _ok, Pattern(200_000));
        Assert.False(h.ReadingStopped.IsCompleted);

        // The flush waits on the full pipe; its timer runs on the fake clock.
        await Eventually.TrueAsync(
            () =>
            {
                time.Advance(TimeSpan.FromSeconds(10));
                return h.ReadingStopped.IsCompleted;
            },
            "the write timeout closes the connection");

        var error = await h.ReadingStopped;
        Assert.True(error!.WriteTimedOut);
        Assert.False(h.Connection.IsOpen);
        await Eventually.TrueAsync(() => h.Connection.ReplyBacklogBytes == 0, "the queued answers are dropped");
    }

    [Fact]
    public async Task WriteTimeout_SideThatReads_IsNotClosed()
    {
        var time = new FakeTimeProvider();
        await using var h = new ConnectionHarness(Serving(time: time));
        await h.Send(1, """{"cmd":"fetch"}""");
        await h.NextAsync();
        h.Connection.Reply(1, _ok, Pattern(200_000));

        Assert.Equal(DecodedFrame.Of(1, _ok, Pattern(200_000)), await h.ReadFrameAsync());
        await Eventually.TrueAsync(() => h.Connection.ReplyBacklogBytes == 0, "the flush has completed");
        time.Advance(TimeSpan.FromMinutes(5));
        await h.Send(2, """{"cmd":"ping"}""");
        Assert.Equal(2UL, (await h.NextAsync()).Tag);
        Assert.True(h.Connection.IsOpen);
    }
}
