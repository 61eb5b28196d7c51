using Butterfly.Server.Tests.Filters;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Telemetry;

/// <summary>The filter instruments and the <c>filter</c> source, with a real filter daemon (the probe).</summary>
public sealed class FilterMetricsTests
{
    [Fact]
    public async Task Scrape_FilterInjects_FilterLatencyAndFilterSourceCounted()
    {
        await using var server = await FilterServer.StartAsync([FilterServer.Filter("probe", "tempfail", 10, "inbound")]);
        await server.StartProbeAsync("probe");
        using var http = new HttpClient();
        var metrics = server.Daemon.MetricsAddress!;
        var before = await Scrape.ReadAsync(http, metrics);

        var instruction = """{"inject":[{"sender":"alice@example.org","recipients":["carol@example.org"],"text":"From: alice@example.org\r\nTo: carol@example.org\r\nSubject: injected for the metrics\r\n\r\nCounted as the filter's.\r\n"}]}""";
        await server.SendAsync(FilterServer.Message("metrics with a filter", instruction));
        Assert.Single(await server.WaitForAsync("carol", "injected for the metrics"));

        // The injected message's pass is recorded just after its commit: wait for the counter, not for time.
        await Eventually.TrueAsync(
            async () => (await Scrape.ReadAsync(http, metrics)).Sum("butterfly_deliveries_total", ("source", "filter")) == 1,
            "the injected message is counted under source=filter");
        var after = await Scrape.ReadAsync(http, metrics);
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);

        Assert.Equal(1, Delta("butterfly_deliveries_total", ("source", "client"), ("outcome", "accepted")));
        Assert.Equal(1, Delta("butterfly_deliveries_total", ("source", "filter"), ("outcome", "accepted")));
        Assert.Equal(1, Delta("butterfly_delivery_recipients_total", ("source", "filter"), ("status", "delivered")));

        // The probe saw both: the client's message and the injected one on its second pass.
        Assert.Equal(2, Delta("butterfly_filter_duration_seconds_count", ("filter", "probe"), ("stage", "inbound"), ("result", "answered")));
        Assert.True(Delta("butterfly_filter_duration_seconds_sum", ("filter", "probe")) > 0, after.Text);
        Assert.Equal(1, after.Sum("butterfly_sessions_active", ("kind", "filter")));
    }
}
