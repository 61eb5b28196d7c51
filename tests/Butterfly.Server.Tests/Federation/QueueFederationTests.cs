using System.Text.Json;
using System.Text;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;
using static Butterfly.Server.Tests.Federation.QueueNetwork;

namespace Butterfly.Server.Tests.Federation;

/// <summary>The outbound queue between two real daemons: waiting, retrying, bouncing, notices.</summary>
public sealed class QueueFederationTests
{
    [Fact]
    public async Task Send_ReceiverDown_WaitsInTheQueueAndArrivesOnceWhenItReturns()
    {
        using var directory = new TempDirectory("butterfly-queue-down");
        await using var network = await StartAsync(directory, QueueSection(retrySeconds: 0.3));
        await network[B].StopAsync();

        await using (var alice = await LoginAsync(network[A], Alice))
        {
            var status = Assert.Single(await SendAsync(alice, "while-down", Bob));
            Assert.Equal("queued", status.Status);
        }

        // Several attempts fail while b.example is down; the entry stays.
        var list = await WaitForQueueAsync(network.ConfigOf(A), q => AttemptsOf(q) >= 3, "three failed attempts");
        var queued = Assert.Single(list.EnumerateArray());
        Assert.Equal(B, queued.GetProperty("domain").GetString());
        Assert.True(queued.GetProperty("attempts").GetInt32() >= 1, queued.ToString());
        Assert.False(string.IsNullOrEmpty(queued.GetProperty("lastError").GetString()), queued.ToString());

        await network.StartAgainAsync(B);
        await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("while-down"), "bob has the message");
        await WaitForEmptyQueueAsync(network.ConfigOf(A));

        await using var bob = await LoginAsync(network[B], Bob);
        Assert.Equal(1, (await SubjectsAsync(bob))["while-down"]);
        await using var aliceAgain = await LoginAsync(network[A], Alice);
        Assert.Empty(await SubjectsAsync(aliceAgain));
    }

    [Fact]
    public async Task Send_UnknownUserOnPeer_BouncesAtOnceWhileTheKnownRecipientGetsIt()
    {
        using var directory = new TempDirectory("butterfly-queue-unknown");
        await using var network = await StartAsync(directory, QueueSection(retrySeconds: 3600));
        await using (var alice = await LoginAsync(network[A], Alice))
        {
            var statuses = await SendAsync(alice, "half-known", Bob, "nobody@b.example");
            Assert.All(statuses, s => Assert.Equal("queued", s.Status));
        }

        await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("half-known"), "bob has the message");
        await WaitForFolderAsync(network[A], Alice, s => s.ContainsKey("Undelivered mail: half-known"), "alice has the bounce");
        await WaitForEmptyQueueAsync(network.ConfigOf(A));

        await using var reader = await LoginAsync(network[A], Alice);
        var page = await reader.ListMessagesAsync("Inbox");
        var bounce = await reader.FetchAsync("Inbox", Assert.Single(page.Messages).Id);
        var report = DeliveryReportView.Parse(bounce.Content);
        Assert.Equal("dns; " + A, report.PerMessage["Reporting-MTA"]);
        var nobody = Assert.Single(report.Recipients);
        Assert.Equal("rfc822; nobody@b.example", nobody["Final-Recipient"]);
        Assert.Equal(("failed", "5.1.1", "dns; " + B), (nobody["Action"], nobody["Status"], nobody["Remote-MTA"]));
        Assert.StartsWith("X-Butterfly; recipient.unknown:", nobody["Diagnostic-Code"], StringComparison.Ordinal);
        Assert.Contains("nobody@b.example", report.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<bob@b.example>", report.Text, StringComparison.Ordinal);
        Assert.Equal("half-known", report.OriginalHeaders["Subject"]);
    }

    [Fact]
    public async Task Send_ReceiverNeverReturns_GivesUpAndBouncesWithTheLastError()
    {
        using var directory = new TempDirectory("butterfly-queue-giveup");
        await using var network = await StartAsync(directory, QueueSection(retrySeconds: 0.3, giveUpAfterSeconds: 1.5));
        await network[B].StopAsync();
        await using (var alice = await LoginAsync(network[A], Alice))
        {
            await SendAsync(alice, "never-there", Bob);
        }

        await WaitForFolderAsync(network[A], Alice, s => s.ContainsKey("Undelivered mail: never-there"), "alice has the bounce", seconds: 30);
        await WaitForEmptyQueueAsync(network.ConfigOf(A));

        await using var reader = await LoginAsync(network[A], Alice);
        var bounce = await reader.FetchAsync("Inbox", Assert.Single((await reader.ListMessagesAsync("Inbox")).Messages).Id);
        var report = DeliveryReportView.Parse(bounce.Content);
        Assert.Contains("<bob@b.example>:", report.Text, StringComparison.Ordinal);
        Assert.Contains("gave up after", report.Text, StringComparison.Ordinal);
        Assert.Equal("never-there", report.OriginalHeaders["Subject"]);

        // Gave up on a temporary failure: "failed", with the 4.x.x status it kept getting (RFC 3464 §2.3.3).
        var bob = Assert.Single(report.Recipients);
        Assert.Equal("failed", bob["Action"]);
        Assert.StartsWith("4.", bob["Status"], StringComparison.Ordinal);
        Assert.Null(bob["Will-Retry-Until"]);
    }

    [Fact]
    public async Task Send_ReceiverDownPastNoticeTime_OneDelayNoticeThenDelivered()
    {
        using var directory = new TempDirectory("butterfly-queue-notice");
        await using var network = await StartAsync(directory, QueueSection(retrySeconds: 0.2, delayNoticeAfterSeconds: 0.5));
        await network[B].StopAsync();
        await using (var alice = await LoginAsync(network[A], Alice))
        {
            await SendAsync(alice, "slow-road", Bob);
        }

        await WaitForFolderAsync(network[A], Alice, s => s.ContainsKey("Delivery delayed: slow-road"), "alice has the delay notice");
        await using (var early = await LoginAsync(network[A], Alice))
        {
            var notice = await early.FetchAsync("Inbox", Assert.Single((await early.ListMessagesAsync("Inbox")).Messages).Id);
            var bob = Assert.Single(DeliveryReportView.Parse(notice.Content).Recipients);
            Assert.Equal(("rfc822; bob@b.example", "delayed"), (bob["Final-Recipient"], bob["Action"]));
            Assert.StartsWith("4.", bob["Status"], StringComparison.Ordinal);
            Assert.True(MimeKit.Utils.DateUtils.TryParse(bob["Will-Retry-Until"], out var until) && until > DateTimeOffset.UtcNow.AddMinutes(30), bob["Will-Retry-Until"]);
        }


        // More attempts fail after the notice; none brings another notice.
        var attempts = AttemptsOf(await QueueListAsync(network.ConfigOf(A)));
        await WaitForQueueAsync(network.ConfigOf(A), q => AttemptsOf(q) >= attempts + 3, "three more failed attempts");
        await network.StartAgainAsync(B);
        await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("slow-road"), "bob has the message");
        await WaitForEmptyQueueAsync(network.ConfigOf(A));

        await using var reader = await LoginAsync(network[A], Alice);
        var inbox = await SubjectsAsync(reader);
        Assert.Equal(1, Assert.Single(inbox).Value);
    }

    private static int AttemptsOf(JsonElement queue) =>
        queue.GetArrayLength() == 1 ? queue[0].GetProperty("attempts").GetInt32() : -1;
}
