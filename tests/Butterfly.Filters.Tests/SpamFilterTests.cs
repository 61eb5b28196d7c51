using System.Text.Json.Nodes;
using Butterfly.Filters.Tests.Infrastructure;

namespace Butterfly.Filters.Tests;

/// <summary>
/// The spam scorer end to end, in both languages with the same test: the C# example on the
/// filter library and the Python one that speaks the socket protocol itself.
/// </summary>
public sealed class SpamFilterTests
{
    public static TheoryData<string> Languages => new() { "csharp", "python" };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task SpamFilter_HamAndSpam_ScoreHeaderOnBothAndSpamQuarantinedToJunk(string language)
    {
        await using var server = await FilterTestServer.StartAsync(new JsonArray(FilterTestServer.Filter("spam", "inbound")), "alice@example.org", "bob@example.org");
        var words = server.File("words.txt");
        await File.WriteAllTextAsync(words, "# extra words\nrolex 4\ncasino 0.5   # replaces the built-in weight\n");
        await using var filter = await FilterProcess.StartAsync(FilterCommand.Spam(language), server.SocketPath, "spam", "--words", words, "--threshold", "5");

        await server.SendAsync("alice@example.org", "bob@example.org", "Lunch?", "Noon at the cafe, near the casino?");
        // winner 2 + free 1 + lottery 2.5 + prize 2 + rolex 4 (from the file) + cash 1.5 = 13.
        await server.SendAsync("alice@example.org", "bob@example.org", "You are a WINNER", "Claim your free lottery prize now: a Rolex, or cash.");
        // lottery 2.5 twice: exactly the threshold, which quarantines.
        await server.SendAsync("alice@example.org", "bob@example.org", "Lottery", "lottery");

        var inbox = await server.MessagesAsync("bob@example.org", "Inbox");
        var junk = await server.MessagesAsync("bob@example.org", "Junk");
        var ham = Assert.Single(inbox);
        Assert.Equal("Lunch?", Mail.Parse(ham).Subject);
        Assert.Equal("0.5", Mail.Header(ham, "X-Spam-Score"));
        Assert.Equal(2, junk.Count);
        Assert.Equal(["13.0", "5.0"], junk.Select(m => Mail.Header(m, "X-Spam-Score")));
        Assert.Equal(["You are a WINNER", "Lottery"], junk.Select(m => Mail.Parse(m).Subject));

        // The header edit is in the stored bytes, once, and the body is untouched.
        var stored = System.Text.Encoding.UTF8.GetString(junk[0].Content);
        Assert.Single(Mail.Headers(junk[0], "X-Spam-Score"));
        Assert.Contains("Claim your free lottery prize now", stored, StringComparison.Ordinal);

        // The sender's own copy in Sent is not the recipient's: the inbound stage scores what arrives.
        Assert.Equal(3, (await server.MessagesAsync("alice@example.org", "Sent")).Count);
        Assert.Equal(0, await filter.StopAsync());
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task SpamFilter_HtmlOnlyMessage_ScoresTheTextItShows(string language)
    {
        await using var server = await FilterTestServer.StartAsync(new JsonArray(FilterTestServer.Filter("spam", "inbound")), "alice@example.org", "bob@example.org");
        await using var filter = await FilterProcess.StartAsync(FilterCommand.Spam(language), server.SocketPath, "spam");

        // winner 2 + free 1 + prize 2 + cash 1.5 = 6.5, read from HTML with character references.
        await server.SendRawAsync("alice@example.org", ["bob@example.org"], """
            From: alice@example.org
            To: bob@example.org
            Subject: Hello
            Content-Type: text/html; charset=utf-8

            <html><body><p>You are a <b>winner</b>!</p><p>Claim your free&nbsp;prize &amp; cash</p></body></html>
            """);

        var junk = Assert.Single(await server.MessagesAsync("bob@example.org", "Junk"));
        Assert.Equal("6.5", Mail.Header(junk, "X-Spam-Score"));
        Assert.Equal(0, await filter.StopAsync());
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task SpamFilter_Pass_AcceptsSpamUntouched(string language)
    {
        await using var server = await FilterTestServer.StartAsync(new JsonArray(FilterTestServer.Filter("spam", "inbound")), "alice@example.org", "bob@example.org");
        await using var filter = await FilterProcess.StartAsync(FilterCommand.Spam(language), server.SocketPath, "spam", "--pass");

        await server.SendAsync("alice@example.org", "bob@example.org", "You are a WINNER", "Claim your free lottery prize now: a Rolex, or cash.");

        // Both languages take --pass alike: accepted, not scored, not quarantined.
        var stored = Assert.Single(await server.MessagesAsync("bob@example.org", "Inbox"));
        Assert.Empty(Mail.Headers(stored, "X-Spam-Score"));
        Assert.Empty(await server.MessagesAsync("bob@example.org", "Junk"));
        Assert.Equal(0, await filter.StopAsync());
    }
}
