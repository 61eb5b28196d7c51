using Butterfly.TestUtilities;
using static Butterfly.Server.Tests.Scripts.ScriptNetwork;

namespace Butterfly.Server.Tests.Telemetry;

/// <summary>A programmable address's run is timed, and what its script sends is counted under the <c>script</c> source.</summary>
public sealed class ScriptMetricsTests
{
    private const string Echo = """
        export function onMessage(message, ctx) {
          ctx.send({ to: "carol@a.example", subject: "seen: " + message.subject, text: message.text });
        }
        """;

    [Fact]
    public async Task Scrape_ScriptSends_RunTimedAndScriptSourceCounted()
    {
        using var directory = new TempDirectory("bf-script-metrics");
        await using var network = await StartAsync(directory, domains: [A]);
        await ScriptAsync(network, "echo@a.example", Echo);
        await using var alice = await LoginAsync(network[A], Alice);
        using var http = new HttpClient();
        var metrics = network[A].MetricsAddress!;

        await SendAsync(alice, "counted", "body", "echo@a.example");
        await WaitForFolderAsync(network[A], Carol, s => s.ContainsKey("seen: counted"), "carol has the script's message");

        // The script's message is recorded just after its commit: wait for the counter, not for time.
        await Eventually.TrueAsync(
            async () => (await Scrape.ReadAsync(http, metrics)).Sum("butterfly_deliveries_total", ("source", "script"), ("outcome", "accepted")) == 1,
            "the script's message is counted under source=script");
        var scrape = await Scrape.ReadAsync(http, metrics);
        Assert.Equal(1, scrape.Sum("butterfly_script_duration_seconds_count", ("result", "completed")));
        Assert.True(scrape.Sum("butterfly_script_duration_seconds_sum") > 0, scrape.Text);
        Assert.Equal(1, scrape.Sum("butterfly_delivery_recipients_total", ("source", "script"), ("status", "delivered")));
    }
}
