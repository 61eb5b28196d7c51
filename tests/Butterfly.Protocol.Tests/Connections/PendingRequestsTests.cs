using System.Text;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Butterfly.Protocol.Tests.Connections;

public sealed class PendingRequestsTests
{
    private static readonly TimeSpan _long = TimeSpan.FromMinutes(1);

    private static (ConnectionHarness Harness, PendingRequests<string> Requests) Client(Action<PendingRequest<string>>? timedOut = null, TimeProvider? time = null)
    {
        var harness = new ConnectionHarness(new FrameConnectionOptions { Routing = FrameRouting.Replies });
        var requests = new PendingRequests<string>(timedOut: timedOut, time: time);
        harness.OnReplyReceived = r =>
        {
            if (requests.TryTake(r.Tag, out var pending))
            {
                pending.Complete(r.Head);
            }
        };
        return (harness, requests);
    }

    private static ReadOnlyMemory<byte> Head(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public async Task SendAsync_NumbersRequests_AndMatchesRepliesInAnyOrder()
    {
        var (h, requests) = Client();
        await using (h)
        {
            var a = requests.SendAsync(h.Connection, Head("""{"cmd":"a"}"""), default, _long, default);
            var b = requests.SendAsync(h.Connection, Head("""{"cmd":"b"}"""), default, _long, default);
            Assert.Equal(1UL, (await h.ReadFrameAsync())!.Tag);
            Assert.Equal(2UL, (await h.ReadFrameAsync())!.Tag);

            await h.Send(2, """{"ok":"b"}""");
            await h.Send(1, """{"ok":"a"}""");

            Assert.Equal("""{"ok":"a"}""", await a.WaitAsync(ConnectionHarness.Prompt));
            Assert.Equal("""{"ok":"b"}""", await b.WaitAsync(ConnectionHarness.Prompt));
            Assert.Equal(0, requests.Count);
        }
    }

    [Fact]
    public async Task Timeout_FailsOnlyThatRequest_AndReportsIt()
    {
        var reported = new TaskCompletionSource<ulong>();
        var (h, requests) = Client(p => reported.TrySetResult(p.Tag));
        await using (h)
        {
            var slow = requests.SendAsync(h.Connection, Head("{}"), default, TimeSpan.FromMilliseconds(1), default);
            var other = requests.SendAsync(h.Connection, Head("{}"), default, _long, default);

            await Assert.ThrowsAsync<TimeoutException>(() => slow.WaitAsync(ConnectionHarness.Prompt));
            Assert.Equal(1UL, await reported.Task.WaitAsync(ConnectionHarness.Prompt));

            // A late reply to the timed-out request is dropped; the other still gets its own.
            await h.Send(1, """{"ok":"late"}""");
            await h.Send(2, """{"ok":"mine"}""");
            Assert.Equal("""{"ok":"mine"}""", await other.WaitAsync(ConnectionHarness.Prompt));
        }
    }

    [Fact]
    public async Task Timeout_FiresAtTheDeadline_NotBefore()
    {
        var clock = new FakeTimeProvider();
        var (h, requests) = Client(time: clock);
        await using (h)
        {
            var request = requests.SendAsync(h.Connection, Head("{}"), default, TimeSpan.FromMilliseconds(200), default);

            clock.Advance(TimeSpan.FromMilliseconds(175));
            Assert.False(request.IsCompleted);
            clock.Advance(TimeSpan.FromMilliseconds(25));

            await Assert.ThrowsAsync<TimeoutException>(() => request.WaitAsync(ConnectionHarness.Prompt));
        }
    }

    [Fact]
    public async Task Timeout_AfterTheSweepStoppedWhileIdle_StillFires()
    {
        var clock = new FakeTimeProvider();
        var (h, requests) = Client(time: clock);
        await using (h)
        {
            var first = requests.SendAsync(h.Connection, Head("{}"), default, TimeSpan.FromSeconds(1), default);
            await h.Send(1, """{"ok":1}""");
            await first.WaitAsync(ConnectionHarness.Prompt);

            // Nothing waits: the next sweep stops the timer. A later request starts it again.
            clock.Advance(TimeSpan.FromMilliseconds(50));
            var second = requests.SendAsync(h.Connection, Head("{}"), default, TimeSpan.FromMilliseconds(100), default);
            clock.Advance(TimeSpan.FromMilliseconds(125));

            await Assert.ThrowsAsync<TimeoutException>(() => second.WaitAsync(ConnectionHarness.Prompt));
        }
    }

    [Fact]
    public async Task Cancellation_FailsTheRequestAsCancelled()
    {
        var (h, requests) = Client();
        await using (h)
        {
            using var cts = new CancellationTokenSource();
            var request = requests.SendAsync(h.Connection, Head("{}"), default, _long, cts.Token);
            await cts.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request.WaitAsync(ConnectionHarness.Prompt));
            Assert.Equal(0, requests.Count);
        }
    }

    [Fact]
    public async Task FailAll_FailsWaitingAndLaterRequests_WithTheFirstError()
    {
        var (h, requests) = Client();
        await using (h)
        {
            var waiting = requests.SendAsync(h.Connection, Head("{}"), default, _long, default);
            var first = new IOException("first");
            requests.FailAll(first);
            requests.FailAll(new IOException("second"));

            Assert.Same(first, await Assert.ThrowsAsync<IOException>(() => waiting));
            Assert.Same(first, await Assert.ThrowsAsync<IOException>(() => requests.SendAsync(h.Connection, Head("{}"), default, _long, default)));
        }
    }

    [Fact]
    public async Task SendAsync_OnAStoppedConnection_FailsAtOnce()
    {
        var (h, requests) = Client();
        await using (h)
        {
            h.Connection.Abort();
            await h.Run.WaitAsync(ConnectionHarness.Prompt);

            await Assert.ThrowsAsync<IOException>(() => requests.SendAsync(h.Connection, Head("{}"), default, _long, default).WaitAsync(ConnectionHarness.Prompt));
            Assert.Equal(0, requests.Count);
        }
    }

    [Fact]
    public async Task LimitInFlight_HoldsBackRequestsPastTheCap_UntilARepliesFreesASlot()
    {
        var (h, requests) = Client();
        await using (h)
        {
            requests.LimitInFlight(1);
            var first = requests.SendAsync(h.Connection, Head("""{"n":1}"""), default, _long, default);
            var second = requests.SendAsync(h.Connection, Head("""{"n":2}"""), default, _long, default);
            var written = await h.ReadFrameAsync();
            Assert.Equal(DecodedFrame.Of(1, Head("""{"n":1}""").Span, []), written);
            Assert.Equal(1, requests.Count);

            await h.Send(1, """{"ok":1}""");
            await first.WaitAsync(ConnectionHarness.Prompt);

            Assert.Equal(2UL, (await h.ReadFrameAsync())!.Tag);
            await h.Send(2, """{"ok":2}""");
            Assert.Equal("""{"ok":2}""", await second.WaitAsync(ConnectionHarness.Prompt));
        }
    }
}
