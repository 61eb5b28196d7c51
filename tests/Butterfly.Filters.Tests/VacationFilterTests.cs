using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.Filters.Tests.Infrastructure;

namespace Butterfly.Filters.Tests;

/// <summary>The vacation responder end to end: one reply per sender and period, none to automatic mail.</summary>
public sealed class VacationFilterTests
{
    [Fact]
    public async Task VacationFilter_RepeatedMail_OneReplyPerSenderAndPeriod()
    {
        await using var server = await FilterTestServer.StartAsync(
            new JsonArray(FilterTestServer.Filter("vacation", "inbound")), "alice@example.org", "bob@example.org", "carol@example.org");
        var state = server.File("vacation.json");
        const int period = 3;
        await using var filter = await FilterProcess.StartAsync(
            FilterCommand.DotNet("Butterfly.Examples.VacationFilter"), server.SocketPath, "vacation",
            "--accounts", "bob@example.org", "--state", state, "--period", period.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--message", "Back on Monday.");

        var first = await server.SendAsync("alice@example.org", "bob@example.org", "Question", "Are you in?");
        var firstSent = DateTime.UtcNow;
        var reply = Assert.Single(await server.WaitForMessagesAsync("alice@example.org", "Inbox", 1));
        var parsed = Mail.Parse(reply);
        Assert.Equal("bob@example.org", Assert.Single(parsed.From).Address);
        Assert.Equal("Auto: Question", parsed.Subject);
        Assert.Equal("auto-replied", parsed.Headers["Auto-Submitted"]);
        Assert.Equal(first.MessageId.Trim('<', '>'), parsed.InReplyTo?.Trim('<', '>'));
        Assert.Equal("Back on Monday.", Mail.Text(reply));

        // Within the period: no second reply to Alice. Nothing to automatic or bulk mail from Carol.
        await server.SendAsync("alice@example.org", "bob@example.org", "Again", "Still there?");
        await server.SendRawAsync("carol@example.org", ["bob@example.org"],
            "From: carol@example.org\nTo: bob@example.org\nSubject: Newsletter\nPrecedence: bulk\n\nNews.\n");
        await server.SendRawAsync("carol@example.org", ["bob@example.org"],
            "From: carol@example.org\nTo: bob@example.org\nSubject: Out of office\nAuto-Submitted: auto-replied\n\nAway.\n");
        // Carol's ordinary message is answered; its reply arriving shows the earlier ones were handled.
        var carolMessage = await server.SendAsync("carol@example.org", "bob@example.org", "Hello", "Hi Bob");
        var carolReply = Assert.Single(await server.WaitForMessagesAsync("carol@example.org", "Inbox", 1));
        Assert.Equal(carolMessage.MessageId.Trim('<', '>'), Mail.Parse(carolReply).InReplyTo?.Trim('<', '>'));
        Assert.Single(await server.MessagesAsync("alice@example.org", "Inbox"));

        // Every original reached Bob: the responder accepts what it answers.
        Assert.Equal(5, (await server.MessagesAsync("bob@example.org", "Inbox")).Count);

        // The state survives in its file; after the period Alice is answered again.
        var saved = JsonDocument.Parse(await File.ReadAllTextAsync(state)).RootElement.GetProperty("bob@example.org");
        Assert.True(saved.TryGetProperty("alice@example.org", out _), saved.ToString());
        var wait = firstSent + TimeSpan.FromSeconds(period + 0.2) - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        await server.SendAsync("alice@example.org", "bob@example.org", "Back yet?", "?");
        var replies = await server.WaitForMessagesAsync("alice@example.org", "Inbox", 2);
        Assert.Equal(2, replies.Count);
        Assert.Equal("Auto: Back yet?", Mail.Parse(replies[1]).Subject);
        Assert.Equal(0, await filter.StopAsync());
    }
}
