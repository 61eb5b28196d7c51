using System.Text;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Protocol.Tests.Support;
using Butterfly.TestUtilities;
using Xunit;

namespace Butterfly.Protocol.Tests.Connections;

public sealed class FrameConnectionTests
{
    private static readonly byte[] _ok = """{"ok":true}"""u8.ToArray();

    private static FrameConnectionOptions Serving(int maxInFlight = 16, int maxFrame = 1024) =>
        new() { Routing = FrameRouting.Requests, MaxIncomingInFlight = maxInFlight, MaxFrameBytes = maxFrame, Description = "the test" };

    [Fact]
    public async Task Requests_ArriveInOrder_WithHeadAndBody()
    {
        await using var h = new ConnectionHarness(Serving());
        await h.Send(7, """{"cmd":"a"}""", [1, 2, 3]);
        await h.Send(9, """{"cmd":"b"}""");

        var first = await h.NextAsync();
        var second = await h.NextAsync();

        Assert.Equal(("request", 7UL, """{"cmd":"a"}"""), (first.Kind, first.Tag, first.Head));
        Assert.Equal([1, 2, 3], first.Body);
        Assert.Equal(("request", 9UL, """{"cmd":"b"}"""), (second.Kind, second.Tag, second.Head));
        Assert.Equal(2, h.Connection.IncomingInFlight);
    }

    [Fact]
    public async Task Requests_SentOneByteAtATime_ArriveWhole()
    {
        await using var h = new ConnectionHarness(Serving());
        var bytes = RawFrames.Frame(3, """{"cmd":"slow"}""", Encoding.ASCII.GetBytes("body"));
        foreach (var b in bytes)
        {
            await h.Send([b]);
        }

        var request = await h.NextAsync();

        Assert.Equal((3UL, """{"cmd":"slow"}""", "body"), (request.Tag, request.Head, Encoding.ASCII.GetString(request.Body)));
    }

    [Fact]
    public async Task Send_BurstsFromSeveralThreads_EachFrameOnce_InEachSendersOrder()
    {
        // Bursts grow the queue of frames waiting for the writer past its first size and wrap it
        // around; a second burst after it drained (and gave its room back) must work the same.
        await using var h = new ConnectionHarness(Serving());
        for (var burst = 0; burst < 2; burst++)
        {
            const int Senders = 4;
            const int PerSender = 300;
            await Task.WhenAll(Enumerable.Range(0, Senders).Select(sender => Task.Run(() =>
            {
                for (var i = 0; i < PerSender; i++)
                {
                    Assert.True(h.Connection.Send((ulong)((sender * 1000) + i + 1), _ok));
                }
            })));

            var next = new int[Senders];
            for (var n = 0; n < Senders * PerSender; n++)
            {
                var frame = await h.ReadFrameAsync();
                Assert.NotNull(frame);
                var sender = (int)((frame.Tag - 1) / 1000);
                Assert.Equal((ulong)((sender * 1000) + next[sender] + 1), frame.Tag);
                next[sender]++;
            }

            Assert.All(next, count => Assert.Equal(PerSender, count));
        }
    }

    [Fact]
    public async Task Reply_AnswersOutOfOrder_AndEndsInFlight()
    {
        await using var h = new ConnectionHarness(Serving());
        await h.Send(1, """{"cmd":"a"}""");
        await h.Send(2, """{"cmd":"b"}""");
        await h.NextAsync();
        await h.NextAsync();

        h.Connection.Reply(2, _ok);
        h.Connection.Reply(1, _ok, new byte[] { 9 });

        Assert.Equal(DecodedFrame.Of(2, _ok, []), await h.ReadFrameAsync());
        Assert.Equal(DecodedFrame.Of(1, _ok, [9]), await h.ReadFrameAsync());
        await Eventually.TrueAsync(() => h.Connection.IncomingInFlight == 0, "the answers are written");
    }

    [Fact]
    public async Task MaxIncomingInFlight_Reached_StopsReadingUntilAnAnswerIsWritten()
    {
        await using var h = new ConnectionHarness(Serving(maxInFlight: 2));
        for (ulong tag = 1; tag <= 3; tag++)
        {
            await h.Send(tag, """{"cmd":"x"}""");
        }

        Assert.Equal(1UL, (await h.NextAsync()).Tag);
        Assert.Equal(2UL, (await h.NextAsync()).Tag);

        // The third request is held back until one of the two is answered on the wire: prove the
        // connection is waiting (in flight at the limit, nothing more handed on) before answering.
        Assert.Equal(2, h.Connection.IncomingInFlight);
        Assert.False(h.TryNext(out _));
        h.Connection.Reply(1, _ok);

        Assert.Equal(3UL, (await h.NextAsync()).Tag);
        Assert.Equal(DecodedFrame.Of(1, _ok, []), await h.ReadFrameAsync());
    }

    [Fact]
    public async Task OnRequestAsync_NotCompleted_IsABarrier()
    {
        await using var h = new ConnectionHarness(Serving());
        var barrier = new TaskCompletionSource();
        h.OnRequest = r => r.Tag == 1 ? new ValueTask(barrier.Task) : ValueTask.CompletedTask;
        await h.Send(1, """{"cmd":"login"}""");
        await h.Send(2, """{"cmd":"next"}""");

        Assert.Equal(1UL, (await h.NextAsync()).Tag);
        Assert.False(h.TryNext(out _));
        barrier.SetResult();

        Assert.Equal(2UL, (await h.NextAsync()).Tag);
    }

    [Fact]
    public async Task Stop_AnswersEverythingInFlight_ThenSendsTheFinalFrame_ThenCloses()
    {
        await using var h = new ConnectionHarness(Serving());
        await h.Send(1, """{"cmd":"a"}""");
        await h.NextAsync();
        var final = """{"ok":false,"code":"server.shutting-down"}"""u8.ToArray();

        h.Connection.Stop(final);
        Assert.Null(await h.ReadingStopped.WaitAsync(ConnectionHarness.Prompt));
        Assert.False(h.Run.IsCompleted);
        h.Connection.Reply(1, _ok);

        Assert.Equal(DecodedFrame.Of(1, _ok, []), await h.ReadFrameAsync());
        Assert.Equal(DecodedFrame.Of(0, final, []), await h.ReadFrameAsync());
        Assert.Null(await h.ReadFrameAsync());
        await h.Run.WaitAsync(ConnectionHarness.Prompt);
    }

    [Fact]
    public async Task TagZero_OnServingSide_IsAProtocolError_WithErrorFrame()
    {
        await using var h = new ConnectionHarness(Serving());
        await h.Send(0, """{"cmd":"ping"}""");

        var error = await h.ReadingStopped.WaitAsync(ConnectionHarness.Prompt);

        Assert.Equal(ErrorCode.ProtocolReservedTag, error!.Code);
        Assert.Equal(ErrorCode.ProtocolReservedTag, h.ProtocolErrorSeen);
        Assert.Equal(DecodedFrame.Of(0, h.ErrorHead.Span, []), await h.ReadFrameAsync());
        Assert.Null(await h.ReadFrameAsync());
    }

    [Theory]
    [InlineData(1024, false)]
    [InlineData(1025, true)]
    public async Task MaxFrameBytes_JudgedOnTheLengthPrefixAlone(uint declared, bool tooLarge)
    {
        await using var h = new ConnectionHarness(Serving(maxFrame: 1024));
        await h.Send(RawFrames.LengthOnly(declared));
        await h.CloseInputAsync();

        var error = await h.ReadingStopped.WaitAsync(ConnectionHarness.Prompt);

        // Within the limit the connection waits for the rest, and the early close truncates it.
        Assert.Equal(tooLarge ? ErrorCode.ProtocolFrameTooLarge : ErrorCode.None, error!.Code);
        Assert.Equal(!tooLarge, error.Truncated);
    }

    [Fact]
    public async Task MaxFrameBytes_LoweredLater_AppliesToTheNextFrame()
    {
        await using var h = new ConnectionHarness(Serving(maxFrame: 1024));
        await h.Send(1, """{"cmd":"login"}""");
        await h.NextAsync();
        h.Connection.MaxFrameBytes = 20;

        await h.Send(2, """{"cmd":"this head is longer than twenty bytes"}""");

        Assert.Equal(ErrorCode.ProtocolFrameTooLarge, (await h.ReadingStopped.WaitAsync(ConnectionHarness.Prompt))!.Code);
    }

    [Fact]
    public async Task RepliesRouting_SplitsRepliesFromTagZero()
    {
        await using var h = new ConnectionHarness(new FrameConnectionOptions { Routing = FrameRouting.Replies });
        await h.Send(5, """{"ok":true}""");
        await h.Send(0, """{"event":"x"}""");

        var reply = await h.NextAsync();
        Assert.Equal(("reply", 5UL), (reply.Kind, reply.Tag));
        Assert.Equal("tag0", (await h.NextAsync()).Kind);
    }

    [Fact]
    public async Task BothRouting_TellsRepliesFromRequestsByTheHead_AndLeavesMalformedHeadsToTheReceiver()
    {
        await using var h = new ConnectionHarness(new FrameConnectionOptions { Routing = FrameRouting.Both });
        await h.Send(1, """{"cmd":"filter.message","ok":true}""");
        await h.Send(1, """{"code":"x","ok":false}""");
        await h.Send(2, """not json""");

        Assert.Equal("request", (await h.NextAsync()).Kind);
        Assert.Equal("reply", (await h.NextAsync()).Kind);
        Assert.Equal("reply", (await h.NextAsync()).Kind);
    }

    [Fact]
    public async Task PeerClosesMidFrame_ReportsTruncation()
    {
        await using var h = new ConnectionHarness(Serving());
        var frame = RawFrames.Frame(1, """{"cmd":"a"}""");
        await h.Send(frame[..^2]);
        await h.CloseInputAsync();

        var error = await h.ReadingStopped.WaitAsync(ConnectionHarness.Prompt);

        Assert.True(error!.Truncated);
        Assert.Null(await h.ReadFrameAsync());
    }

    [Fact]
    public async Task PeerClosesBetweenFrames_EndsInOrder()
    {
        await using var h = new ConnectionHarness(Serving());
        await h.Send(1, """{"cmd":"a"}""");
        await h.CloseInputAsync();
        await h.NextAsync();

        Assert.Null(await h.ReadingStopped.WaitAsync(ConnectionHarness.Prompt));

        // The answer owed is still written before the output completes.
        h.Connection.Reply(1, _ok);
        Assert.Equal(DecodedFrame.Of(1, _ok, []), await h.ReadFrameAsync());
        Assert.Null(await h.ReadFrameAsync());
    }

    [Fact]
    public async Task Send_AfterAbort_ReturnsFalseAndReleasesTheLease()
    {
        await using var h = new ConnectionHarness(Serving());
        h.Connection.Abort(new ConnectionError("test"));
        await h.Run.WaitAsync(ConnectionHarness.Prompt);
        var lease = new Lease();

        Assert.False(h.Connection.Send(1, _ok, default, lease));
        Assert.True(lease.Released);
        Assert.Equal("test", h.Connection.Error!.Message);
    }

    private sealed class Lease : IDisposable
    {
        public bool Released { get; private set; }

        public void Dispose() => Released = true;
    }
}
