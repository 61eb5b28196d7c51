using Butterfly.Server.Tests.Smtp;

namespace Butterfly.Server.Tests.Telemetry;

/// <summary>Mail the SMTP gateway takes is counted and logged under the <c>smtp</c> source.</summary>
public sealed class SmtpMetricsTests
{
    [Fact]
    public async Task Scrape_MailBySmtp_CountedUnderSmtpSource()
    {
        await using var server = await SmtpTestServer.StartAsync(["alice"]);
        using var http = new HttpClient();
        var metrics = server.Daemon.MetricsAddress!;
        var before = await Scrape.ReadAsync(http, metrics);

        await using (var dialog = await server.HelloAsync("sender.test"))
        {
            var reply = await dialog.SendMailAsync("someone@sender.test", ["alice@example.org"], "From: someone@sender.test\r\nTo: alice@example.org\r\nSubject: counted\r\n\r\nHi Alice.\r\n");
            Assert.Equal(250, reply.Code);
        }

        // Recorded before the 250 went out.
        var after = await Scrape.ReadAsync(http, metrics);
        Assert.Equal(1, after.Sum("butterfly_deliveries_total", ("source", "smtp"), ("outcome", "accepted")) - before.Sum("butterfly_deliveries_total", ("source", "smtp"), ("outcome", "accepted")));
        Assert.Contains("Delivery - from smtp <someone@sender.test> to 1 recipient(s): accepted", server.Daemon.Output, StringComparison.Ordinal);
    }
}
