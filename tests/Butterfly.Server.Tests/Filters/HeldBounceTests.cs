using System.Text;
using Butterfly.Server.Tests.Infrastructure;

namespace Butterfly.Server.Tests.Filters;

/// <summary>
/// Held mail a filter refuses on a later pass bounces to the sender (protocol/filter.md, "Failure
/// policies"), and the bounce takes the one delivery path: queued with the pass that caused it,
/// then through the sender's own filters.
/// </summary>
public sealed class HeldBounceTests
{
    [Fact]
    public async Task HeldMail_RefusedWhenTheFilterReturns_SenderGetsOneReportThroughTheFilters()
    {
        const string subject = "held then refused";
        const string bounceSubject = "Undelivered mail: " + subject;
        await using var server = await FilterServer.StartAsync([FilterServer.Filter("gate", "tempfail", 5, "inbound")], heldRetrySeconds: 1);
        var raw = FilterServer.Message(subject, """{"verdict":"reject","code":"filter.rejected","reason":"not for bob"}""");
        Assert.Equal("held", Assert.Single((await server.SendAsync(raw)).Recipients).Status);

        // The filter registers, the held message goes round again, and is refused this time.
        await server.StartProbeAsync("gate");
        Assert.Single(await server.WaitForAsync("alice", bounceSubject));

        var report = DeliveryReportView.Parse(Encoding.UTF8.GetBytes(await server.FetchAsync("alice", bounceSubject)));
        var bob = Assert.Single(report.Recipients);
        Assert.Equal(("rfc822; bob@example.org", "failed", "5.7.1"), (bob["Final-Recipient"], bob["Action"], bob["Status"]));
        Assert.Equal("X-Butterfly; filter.rejected: not for bob", bob["Diagnostic-Code"]);
        Assert.Equal(subject, report.OriginalHeaders["Subject"]);
        Assert.Empty(await server.FindAsync("bob", subject));

        // The bounce met alice's inbound filter like any message, from the null sender.
        var seen = Assert.Single(server.LogFor(bounceSubject));
        Assert.Equal(string.Empty, (string?)seen["sender"]);
        Assert.Equal("filter", (string?)seen["origin"]);
        Assert.Equal("alice@example.org", (string?)seen["recipients"]![0]);
        Assert.Equal("accept", (string?)seen["verdict"]);
    }
}
