using System.Text;
using Butterfly.Mime;
using Butterfly.Server.Delivery;
using Butterfly.Server.Federation;
using Butterfly.Server.Filters;
using Butterfly.Server.Mail;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.Storage;

namespace Butterfly.Server.Tests.Federation;

/// <summary>The outbound queue worker in-process against a real store and a scripted peer.</summary>
public sealed class QueueWorkerTests
{
    [Fact]
    public async Task Attempt_AllDelivered_EntryRemovedAndNoBounce()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync();
        await harness.EnqueueAsync("hello", ["bob@b.example", "carol@b.example"]);
        await harness.StartAsync();
        await harness.WaitForEmptyQueueAsync();

        var call = Assert.Single(harness.Transport.Calls);
        Assert.Equal("b.example", call.Domain);
        Assert.Equal(["bob@b.example", "carol@b.example"], call.Recipients);
        Assert.Equal("alice@a.example", call.Sender);
        Assert.Contains("Subject: hello", Encoding.UTF8.GetString(call.Message), StringComparison.Ordinal);
        Assert.Empty(await harness.AliceInboxAsync());
    }

    [Fact]
    public async Task Attempt_TemporaryFailures_RetriedUnderTheSameDeliveryIdUntilDelivered()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync();
        harness.Transport.Answer = call => call.Number < 3
            ? throw new PeerException(false, "peer.unreachable", "connection refused")
            : Task.FromResult(QueueScriptedTransport.Results(call, RecipientStatus.Delivered, call.Recipients));
        var id = await harness.EnqueueAsync("retry", ["bob@b.example"], deliveryId: "0123456789abcdef0123456789abcdef");
        await harness.StartAsync();
        await harness.WaitForEmptyQueueAsync();

        Assert.Equal(3, harness.Transport.Calls.Count);
        Assert.All(harness.Transport.Calls, c => Assert.Equal("0123456789abcdef0123456789abcdef", c.DeliveryId));
        Assert.Empty(await harness.AliceInboxAsync());
        Assert.Null(await harness.Store.Queue.FindAsync(id));
    }

    [Fact]
    public async Task Attempt_TemporaryFailure_RecordsAttemptsAndLastError()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync(q => q.RetrySeconds = [3600]);
        harness.Transport.Answer = _ => throw new PeerException(false, "peer.unreachable", "connection refused");
        var id = await harness.EnqueueAsync("waiting", ["bob@b.example"]);
        await harness.StartAsync();
        await QueueWorkerHarness.WaitUntilAsync(async () => (await harness.Store.Queue.FindAsync(id))?.Attempts == 1, "the first attempt is recorded");

        var entry = (await harness.Store.Queue.FindAsync(id))!;
        Assert.Equal("peer.unreachable: connection refused", entry.LastError);
        Assert.True(entry.NextAttempt > DateTimeOffset.UtcNow.AddMinutes(50), $"next attempt {entry.NextAttempt:o}");
        Assert.Single(harness.Transport.Calls);
    }

    [Fact]
    public async Task Retry_OperatorMakesEntryDueAndWakesWorker_TriedLongBeforeItsRetryTime()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync(q => q.RetrySeconds = [3600]);
        harness.Transport.Answer = call => call.Number == 1
            ? throw new PeerException(false, "peer.unreachable", "connection refused")
            : Task.FromResult(QueueScriptedTransport.Results(call, RecipientStatus.Delivered, call.Recipients));
        var id = await harness.EnqueueAsync("operator", ["bob@b.example"]);
        await harness.StartAsync();
        await QueueWorkerHarness.WaitUntilAsync(async () => (await harness.Store.Queue.FindAsync(id))?.Attempts == 1, "the first attempt is recorded");

        // What the control socket's queue.retry does: the entry is due now, and the worker is woken
        // (asleep until the retry an hour away, it would not look otherwise).
        Assert.Equal(1, await harness.Store.Queue.RetryAsync(null, DateTimeOffset.UtcNow));
        harness.Signal.Set();
        await harness.WaitForEmptyQueueAsync();
        Assert.Equal(2, harness.Transport.Calls.Count);
    }

    [Fact]
    public async Task Attempt_UnknownRecipient_BouncesAtOnceWhileTheOtherIsDelivered()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync(q => q.RetrySeconds = [3600]);
        harness.Transport.Answer = call => Task.FromResult(QueueScriptedTransport.Results(call, RecipientStatus.Unknown, "bob@b.example"));
        await harness.EnqueueAsync("partly", ["bob@b.example", "nobody@b.example"]);
        await harness.StartAsync();
        await harness.WaitForEmptyQueueAsync();

        Assert.Single(harness.Transport.Calls);
        var bounce = Assert.Single(await harness.AliceInboxAsync());
        Assert.Equal("Undelivered mail: partly", bounce.Item.Summary.Subject);
        var report = DeliveryReportView.Parse(bounce.Content);
        var nobody = Assert.Single(report.Recipients);
        Assert.Equal("rfc822; nobody@b.example", nobody["Final-Recipient"]);
        Assert.Equal("failed", nobody["Action"]);
        Assert.Equal("5.1.1", nobody["Status"]);
        Assert.Equal("dns; b.example", nobody["Remote-MTA"]);
        Assert.Equal("X-Butterfly; recipient.unknown: nobody@b.example: unknown on the peer", nobody["Diagnostic-Code"]);
        Assert.DoesNotContain("<bob@b.example>", report.Text, StringComparison.Ordinal);
        Assert.Equal("kept-in-bounce", report.OriginalHeaders["X-Original-Marker"]);
        Assert.Equal("auto-replied", report.Message.Headers["Auto-Submitted"]);

        // It went the one delivery path: a trace field on top, like any message stored here.
        Assert.StartsWith("Received: from mailer-daemon", Encoding.UTF8.GetString(bounce.Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attempt_PermanentFailure_EntryDoneAndBounceQueuedInOneCommitThenDeliveredOnce()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync(q => q.RetrySeconds = [3600]);
        harness.Transport.Answer = call => Task.FromResult(QueueScriptedTransport.Results(call, RecipientStatus.Unknown));
        var id = await harness.EnqueueAsync("once", ["nobody@b.example"]);
        await harness.StartAsync(deliverNotices: false);

        // With nobody to deliver notices, the attempt's commit is all there is: the entry is gone
        // and the bounce waits in the queue as held inbound mail from the null sender.
        var notice = await WaitForSingleNoticeAsync(harness);
        Assert.Null(await harness.Store.Queue.FindAsync(id));
        Assert.Equal(string.Empty, notice.Sender);
        Assert.Equal([harness.Alice.Address], notice.Recipients);
        Assert.Null(notice.SenderAccountId);
        Assert.Equal(2, notice.Hops);
        Assert.Empty(await harness.AliceInboxAsync());

        await harness.StartNoticesAsync();
        await harness.WaitForEmptyQueueAsync();
        Assert.Single(harness.Transport.Calls);
        Assert.Equal("Undelivered mail: once", Assert.Single(await harness.AliceInboxAsync()).Item.Summary.Subject);
    }

    [Fact]
    public async Task Bounce_InboundFilter_SeesTheNullSenderAndFilesIt()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync(q => q.RetrySeconds = [3600]);
        harness.Transport.Answer = call => Task.FromResult(QueueScriptedTransport.Results(call, RecipientStatus.Unknown));
        var inbound = new QueueInboundFilter(FilterAction.Accept, folder: "Junk");
        await harness.EnqueueAsync("filed", ["nobody@b.example"]);
        await harness.StartAsync(inbound: inbound);
        await harness.WaitForEmptyQueueAsync();

        var seen = Assert.Single(inbound.Seen);
        Assert.Equal((string.Empty, MessageOrigin.Notice), (seen.Sender, seen.Origin));
        Assert.Equal([harness.Alice.Address], seen.Recipients);
        Assert.Empty(await harness.AliceInboxAsync());
        var bounce = Assert.Single(await harness.AliceInboxAsync("Junk"));
        Assert.Equal("rfc822; nobody@b.example", Assert.Single(DeliveryReportView.Parse(bounce.Content).Recipients)["Final-Recipient"]);
    }

    [Fact]
    public async Task Bounce_RejectedByAnInboundFilter_NeverBouncesAgain()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync(q => q.RetrySeconds = [3600]);
        harness.Transport.Answer = call => Task.FromResult(QueueScriptedTransport.Results(call, RecipientStatus.Unknown));
        var inbound = new QueueInboundFilter(FilterAction.Reject);
        await harness.EnqueueAsync("refused-bounce", ["nobody@b.example"]);
        await harness.StartAsync(inbound: inbound);

        // The queue empties once the refused bounce is dropped; a bounce of it would be queued in the same commit.
        await harness.WaitForEmptyQueueAsync();
        Assert.Single(inbound.Seen);
        Assert.Empty(await harness.AliceInboxAsync());
        Assert.Single(harness.Transport.Calls);
    }

    [Fact]
    public async Task Attempt_PermanentPeerFailure_BouncesEveryRecipientAtOnce()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync(q => q.RetrySeconds = [3600]);
        harness.Transport.Answer = _ => throw new PeerException(true, "peer.domain-unknown", "b.example is not served there");
        await harness.EnqueueAsync("refused", ["bob@b.example", "carol@b.example"]);
        await harness.StartAsync();
        await harness.WaitForEmptyQueueAsync();

        var report = DeliveryReportView.Parse(Assert.Single(await harness.AliceInboxAsync()).Content);
        Assert.Contains("<bob@b.example>: peer.domain-unknown: b.example is not served there", report.Text, StringComparison.Ordinal);
        Assert.Contains("<carol@b.example>: peer.domain-unknown", report.Text, StringComparison.Ordinal);
        Assert.All(report.Recipients, r => Assert.Equal(("failed", "5.1.2"), (r["Action"], r["Status"])));
        Assert.Equal(["rfc822; bob@b.example", "rfc822; carol@b.example"], report.Recipients.Select(r => r["Final-Recipient"]));
    }

    [Fact]
    public async Task Attempt_PastGiveUp_BouncesWithTheLastError()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync(q =>
        {
            q.RetrySeconds = [0.1];
            q.GiveUpAfterSeconds = 0.5;
        });
        harness.Transport.Answer = _ => throw new PeerException(false, "peer.unreachable", "connection refused");
        await harness.EnqueueAsync("doomed", ["bob@b.example"]);
        await harness.StartAsync();
        await harness.WaitForEmptyQueueAsync();

        Assert.True(harness.Transport.Calls.Count >= 2, $"{harness.Transport.Calls.Count} attempts");
        var report = DeliveryReportView.Parse(Assert.Single(await harness.AliceInboxAsync()).Content);
        Assert.Contains("<bob@b.example>: peer.unreachable: connection refused (gave up after", report.Text, StringComparison.Ordinal);
        Assert.Equal("doomed", report.OriginalHeaders["Subject"]);
        var bob = Assert.Single(report.Recipients);
        Assert.Equal(("failed", "4.4.1"), (bob["Action"], bob["Status"]));
        Assert.Null(bob["Will-Retry-Until"]);
    }

    [Fact]
    public async Task Attempt_DelayedPastNoticeTime_SenderToldOnce()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync(q =>
        {
            q.RetrySeconds = [0.05];
            q.DelayNoticeAfterSeconds = 0.2;
        });
        harness.Transport.Answer = call => call.Number < 15
            ? throw new PeerException(false, "peer.unreachable", "connection refused")
            : Task.FromResult(QueueScriptedTransport.Results(call, RecipientStatus.Delivered, call.Recipients));
        await harness.EnqueueAsync("slow", ["bob@b.example"]);
        await harness.StartAsync();
        await harness.WaitForEmptyQueueAsync();

        Assert.Equal(15, harness.Transport.Calls.Count);
        var notice = Assert.Single(await harness.AliceInboxAsync());
        Assert.Equal("Delivery delayed: slow", notice.Item.Summary.Subject);
        var report = DeliveryReportView.Parse(notice.Content);
        Assert.Contains("<bob@b.example>: peer.unreachable: connection refused", report.Text, StringComparison.Ordinal);
        var bob = Assert.Single(report.Recipients);
        Assert.Equal(("delayed", "4.4.1"), (bob["Action"], bob["Status"]));
        Assert.NotNull(bob["Will-Retry-Until"]);
    }

    [Fact]
    public async Task Attempt_PeerTempfailsOneRecipient_RetriedUnderANewIdWithTheHistoryKept()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync(q => q.RetrySeconds = [0.05]);
        harness.Transport.Answer = call => Task.FromResult(call.Number == 1
            ? QueueScriptedTransport.Results(call, RecipientStatus.TempFail, "bob@b.example")
            : QueueScriptedTransport.Results(call, RecipientStatus.Delivered, call.Recipients));
        await harness.EnqueueAsync("split", ["bob@b.example", "carol@b.example"], deliveryId: "11111111111111111111111111111111");
        await harness.StartAsync();
        await harness.WaitForEmptyQueueAsync();

        var calls = harness.Transport.Calls.ToArray();
        Assert.Equal(2, calls.Length);
        Assert.Equal(["carol@b.example"], calls[1].Recipients);

        // The peer recorded its answer under the first id: asking again under it would repeat "tempfail".
        Assert.NotEqual(calls[0].DeliveryId, calls[1].DeliveryId);
        Assert.Empty(await harness.AliceInboxAsync());
    }

    [Fact]
    public async Task Attempt_BounceOfABounce_IsNeverWritten()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync();
        harness.Transport.Answer = call => Task.FromResult(QueueScriptedTransport.Results(call, RecipientStatus.Unknown));
        await harness.EnqueueAsync("notice", ["nobody@b.example"], sender: string.Empty, senderAccount: harness.Alice.Id);
        await harness.StartAsync();
        await harness.WaitForEmptyQueueAsync();

        Assert.Single(harness.Transport.Calls);
        Assert.Empty(await harness.AliceInboxAsync());
    }

    [Fact]
    public async Task Attempt_ManyEntries_NeverTwoAttemptsOfOneEntryAndConcurrencyBounded()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync(q =>
        {
            q.Concurrency = 4;
            q.RetrySeconds = [0];
        });
        var perEntry = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var overlap = 0;
        harness.Transport.Answer = async call =>
        {
            if (perEntry.AddOrUpdate(call.DeliveryId, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlap);
            }

            await Task.Delay(30);
            perEntry.AddOrUpdate(call.DeliveryId, 0, (_, n) => n - 1);

            // Every other attempt fails, so due entries stay due while their attempt runs.
            return call.Number % 2 == 0
                ? throw new PeerException(false, "peer.unreachable", "flaky")
                : QueueScriptedTransport.Results(call, RecipientStatus.Delivered, call.Recipients);
        };
        for (var i = 0; i < 12; i++)
        {
            await harness.EnqueueAsync($"m{i}", ["bob@b.example"]);
        }

        await harness.StartAsync();
        await harness.WaitForEmptyQueueAsync();

        Assert.Equal(0, overlap);
        Assert.InRange(harness.Transport.MaxConcurrent, 1, 4);
    }

    [Fact]
    public async Task Attempt_OutboundFilterRejects_BouncesWithTheFilterReason()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync();
        await harness.EnqueueAsync("spam", ["bob@b.example"]);
        await harness.StartAsync(new QueueFixedFilter(FilterAction.Reject, "filter.rejected", "outbound scanner: looks like spam"));
        await harness.WaitForEmptyQueueAsync();

        Assert.Empty(harness.Transport.Calls);
        var report = DeliveryReportView.Parse(Assert.Single(await harness.AliceInboxAsync()).Content);
        Assert.Contains("<bob@b.example>: filter.rejected: outbound scanner: looks like spam", report.Text, StringComparison.Ordinal);
        Assert.Equal("5.7.1", Assert.Single(report.Recipients)["Status"]);
    }

    [Fact]
    public async Task Attempt_OutboundFilterDiscards_EntryRemovedSilently()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync();
        await harness.EnqueueAsync("dropped", ["bob@b.example"]);
        await harness.StartAsync(new QueueFixedFilter(FilterAction.Discard, null, null));
        await harness.WaitForEmptyQueueAsync();

        Assert.Empty(harness.Transport.Calls);
        Assert.Empty(await harness.AliceInboxAsync());
    }

    [Fact]
    public async Task Attempt_OutboundFilterRewrites_PeerGetsTheRewrittenMessage()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync();
        await harness.EnqueueAsync("rewrite", ["bob@b.example"]);
        await harness.StartAsync(new QueueFixedFilter(FilterAction.Accept, null, null, Encoding.UTF8.GetBytes("Subject: rewritten\r\n\r\nbody\r\n")));
        await harness.WaitForEmptyQueueAsync();

        Assert.Equal("Subject: rewritten\r\n\r\nbody\r\n", Encoding.UTF8.GetString(Assert.Single(harness.Transport.Calls).Message));
    }

    [Fact]
    public async Task Stop_AttemptUnderWay_IsCancelledAndStaysQueued()
    {
        await using var harness = await QueueWorkerHarness.CreateAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Transport.Answer = async call =>
        {
            started.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(30), call.Token);
            return [];
        };
        var id = await harness.EnqueueAsync("interrupted", ["bob@b.example"]);
        await harness.StartAsync();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var stop = harness.StopAsync();
        Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(60))));

        var entry = await harness.Store.Queue.FindAsync(id);
        Assert.NotNull(entry);
        Assert.Equal(["bob@b.example"], entry.Recipients);
    }

    private static async Task<QueuedMessage> WaitForSingleNoticeAsync(QueueWorkerHarness harness)
    {
        QueuedMessage? notice = null;
        await QueueWorkerHarness.WaitUntilAsync(
            async () => (notice = (await harness.Store.Queue.ListAsync()).SingleOrDefault(e => e.Kind == QueueKind.Inbound)) is not null,
            "the bounce is queued");
        return notice!;
    }
}
