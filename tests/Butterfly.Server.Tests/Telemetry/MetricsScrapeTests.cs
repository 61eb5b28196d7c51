using System.Net;
using Butterfly.Client;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Telemetry;

/// <summary><c>/metrics</c> and <c>/healthz</c> of the real daemon (README.md, "Watching it").</summary>
public sealed class MetricsScrapeTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>, IDisposable
{
    private readonly HttpClient _http = new();
    private readonly DaemonProcess _daemon = fixture.Daemon;

    private Uri Metrics => _daemon.MetricsAddress ?? throw new InvalidOperationException("The daemon printed no metrics address:\n" + _daemon.Output);

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Scrape_AfterSends_CountersMoveWithSourceOutcomeAndKind()
    {
        await using var alice = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await using var bob = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await alice.RegisterAsync("alice@example.org", "alice-password");
        await bob.RegisterAsync("bob@example.org", "bob-password");
        var before = await Scrape.ReadAsync(_http, Metrics);

        for (var i = 0; i < 3; i++)
        {
            await alice.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = $"metrics {i}", Text = "Counted?" });
        }

        await Assert.ThrowsAsync<ButterflyException>(() => alice.SendAsync(new SendRequest { To = ["nobody@example.org"], Subject = "nobody", Text = "Refused." }));
        await using (var guesser = await ButterflyClient.ConnectAsync(_daemon.EndPoint))
        {
            var failed = await Assert.ThrowsAsync<ButterflyException>(() => guesser.LoginAsync("bob@example.org", "wrong-password"));
            Assert.Equal("auth.failed", failed.Code);

            // The second guess waits out the penalty of the first (loginPenalty.initialDelaySeconds, 2 s) before failing too.
            await Assert.ThrowsAsync<ButterflyException>(() => guesser.LoginAsync("bob@example.org", "still-wrong"));
        }


        var after = await Scrape.ReadAsync(_http, Metrics);

        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.Equal(3, Delta("butterfly_deliveries_total", ("source", "client"), ("outcome", "accepted")));
        Assert.Equal(1, Delta("butterfly_deliveries_total", ("source", "client"), ("outcome", "rejected")));
        Assert.Equal(3, Delta("butterfly_delivery_recipients_total", ("source", "client"), ("status", "delivered")));
        Assert.Equal(4, Delta("butterfly_delivery_duration_seconds_count", ("source", "client")));
        Assert.Equal(2, Delta("butterfly_auth_failures_total", ("reason", "password")));
        Assert.Equal(1, Delta("butterfly_auth_penalties_total"));
        Assert.True(Delta("butterfly_auth_penalty_wait_seconds_sum") >= 1, after.Text);

        // Each accepted send is at least one commit of the one writer, with its fsync timed.
        Assert.True(Delta("butterfly_store_commit_batch_size_count") >= 3, after.Text);
        Assert.True(Delta("butterfly_store_commit_duration_seconds_count") >= 3, after.Text);
        Assert.True(after.Sum("butterfly_store_commit_duration_seconds_sum") > 0, after.Text);

        // Nothing waits in the queue; the disk has room; the runtime reports too.
        await Eventually.TrueAsync(
            async () => (await Scrape.ReadAsync(_http, Metrics)).Sum("butterfly_sessions_active", ("kind", "client")) == 2,
            "the two open client sessions are counted (the guesser's is closed)");
        Assert.True(after.Sum("butterfly_sessions_opened_total", ("kind", "client")) >= 2, after.Text);
        Assert.Equal(0, after.Sum("butterfly_queue_depth", ("kind", "outbound")));
        Assert.Equal(0, after.Sum("butterfly_queue_oldest_age_seconds", ("kind", "held")));
        Assert.True(after.Sum("butterfly_store_room_bytes") > 0, after.Text);
        Assert.True(after.Has("dotnet_gc_collections_total"), after.Text);
    }

    [Fact]
    public async Task Scrape_SubscribedSession_PushSubscribersCounted()
    {
        await using var carol = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await carol.RegisterAsync("carol@example.org", "carol-password");
        await carol.SubscribeAsync();

        await Eventually.TrueAsync(
            async () => (await Scrape.ReadAsync(_http, Metrics)).Sum("butterfly_push_subscribers") == 1,
            "the subscription is counted");
    }

    [Fact]
    public async Task Healthz_Serving_ReadyAndOtherPathsNotFound()
    {
        using var ready = await _http.GetAsync(new Uri(Metrics, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready\n", await ready.Content.ReadAsStringAsync());

        using var other = await _http.GetAsync(new Uri(Metrics, "/other"));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }
}
