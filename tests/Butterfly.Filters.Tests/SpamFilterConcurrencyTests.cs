using System.Text.Json.Nodes;
using Butterfly.Filters.Tests.Infrastructure;

namespace Butterfly.Filters.Tests;

/// <summary>Both spam filters with many messages in flight on one filter connection.</summary>
public sealed class SpamFilterConcurrencyTests
{
    [Theory]
    [MemberData(nameof(SpamFilterTests.Languages), MemberType = typeof(SpamFilterTests))]
    public async Task SpamFilter_ManySendsAtOnce_EveryMessageScoredOnce(string language)
    {
        await using var server = await FilterTestServer.StartAsync(new JsonArray(FilterTestServer.Filter("spam", "inbound")), "alice@example.org", "bob@example.org");
        await using var filter = await FilterProcess.StartAsync(FilterCommand.Spam(language), server.SocketPath, "spam");

        // One connection, many sends in flight: the filter gets several requests at once and
        // must answer each by its tag, whatever order it finishes them in.
        await using (var alice = await server.LoginAsync("alice@example.org"))
        {
            var sends = Enumerable.Range(0, 24).Select(i => alice.SendAsync(new Butterfly.Client.SendRequest
            {
                To = ["bob@example.org"],
                Subject = $"note {i}",
                Text = i % 2 == 0 ? "see you tomorrow" : "free free free cash jackpot",
            }));
            var results = await Task.WhenAll(sends);
            // Held would mean the server misread a verdict (a reply matched to the wrong request, or its head read after its buffer was reused).
            Assert.All(results.SelectMany(r => r.Recipients), r => Assert.Equal("delivered", r.Status));
        }

        // Every message arrives once, scored once, in the folder its score gives.
        var inbox = await server.MessagesAsync("bob@example.org", "Inbox");
        var junk = await server.MessagesAsync("bob@example.org", "Junk");

        Assert.Equal(12, inbox.Count);
        Assert.Equal(12, junk.Count);
        Assert.All(inbox, m => Assert.Equal("0.0", Assert.Single(Mail.Headers(m, "X-Spam-Score"))));
        Assert.All(junk, m => Assert.Equal("7.0", Assert.Single(Mail.Headers(m, "X-Spam-Score"))));
        var subjects = inbox.Concat(junk).Select(m => Mail.Parse(m).Subject).Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => $"note {i}").Order(StringComparer.Ordinal), subjects);
        Assert.Equal(0, await filter.StopAsync());
    }
}
