using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.Filters.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Filters.Tests;

/// <summary>The vacation responder end to end: one reply per sender and period, none to automatic mail.</summary>
public sealed class VacationFilterTests
{
    [Fact]
    public async Task VacationFilter_RepeatedAndAutomaticMail_OneReplyPerSenderNoneToAutomatic()
    {
        await using var server = await FilterTestServer.StartAsync(
            new JsonArray(FilterTestServer.Filter("vacation", "inbound")), "alice@example.org", "bob@example.org", "carol@example.org", "dave@example.org");
        var state = server.File("vacation.json");
        await using var filter = await StartAsync(server, state, period: 3600);

        var first = await server.SendAsync("alice@example.org", "bob@example.org", "Question", "Are you in?");
        var reply = Assert.Single(await server.WaitForMessagesAsync("alice@example.org", "Inbox", 1));
        var parsed = Mail.Parse(reply);
        Assert.Equal("bob@example.org", Mail.Address(parsed.From));
        Assert.Equal("Auto: Question", parsed.Subject);
        Assert.Equal("auto-replied", parsed.Headers["Auto-Submitted"]);
        Assert.Equal(first.MessageId.Trim('<', '>'), parsed.InReplyTo?.Trim('<', '>'));
        Assert.Equal("Back on Monday.", Mail.Text(reply));

        // The state is in its file before the reply leaves.
        var saved = JsonDocument.Parse(await File.ReadAllTextAsync(state)).RootElement.GetProperty("bob@example.org");
        Assert.True(saved.TryGetProperty("alice@example.org", out _), saved.ToString());

        // Within the period: no second reply to Alice. Nothing to bulk or automatic mail from Carol.
        await server.SendAsync("alice@example.org", "bob@example.org", "Again", "Still there?");
        await server.SendRawAsync("carol@example.org", ["bob@example.org"],
            "From: carol@example.org\nTo: bob@example.org\nSubject: Newsletter\nPrecedence: bulk\n\nNews.\n");
        await server.SendRawAsync("carol@example.org", ["bob@example.org"],
            "From: carol@example.org\nTo: bob@example.org\nSubject: Out of office\nAuto-Submitted: auto-replied\n\nAway.\n");
        await server.SendRawAsync("carol@example.org", ["bob@example.org"],
            "From: carol@example.org\nTo: bob@example.org\nSubject: Digest\nList-Id: <news.example.org>\n\nList mail.\n");

        // Carol's ordinary message is answered; its reply arriving shows the earlier ones were handled.
        var carolMessage = await server.SendAsync("carol@example.org", "bob@example.org", "Hello", "Hi Bob");
        var carolReply = Assert.Single(await server.WaitForMessagesAsync("carol@example.org", "Inbox", 1));
        Assert.Equal(carolMessage.MessageId.Trim('<', '>'), Mail.Parse(carolReply).InReplyTo?.Trim('<', '>'));
        Assert.Single(await server.MessagesAsync("alice@example.org", "Inbox"));

        // Every original reached Bob: the responder accepts what it answers.
        Assert.Equal(6, (await server.MessagesAsync("bob@example.org", "Inbox")).Count);
        Assert.Equal(0, await filter.StopAsync());

        // A restart reads the state back: Alice is still not answered twice.
        await using var again = await StartAsync(server, state, period: 3600);
        await server.SendAsync("alice@example.org", "bob@example.org", "Third", "?");
        await server.SendAsync("dave@example.org", "bob@example.org", "Barrier", "?");
        Assert.Single(await server.WaitForMessagesAsync("dave@example.org", "Inbox", 1));
        Assert.Single(await server.MessagesAsync("alice@example.org", "Inbox"));
        Assert.Equal(0, await again.StopAsync());
    }

    [Fact]
    public async Task VacationFilter_AfterThePeriod_AnswersTheSenderAgain()
    {
        await using var server = await FilterTestServer.StartAsync(
            new JsonArray(FilterTestServer.Filter("vacation", "inbound")), "alice@example.org", "bob@example.org");
        var state = server.File("vacation.json");
        await using (var filter = await StartAsync(server, state, period: 3600))
        {
            await server.SendAsync("alice@example.org", "bob@example.org", "One", "?");
            Assert.Single(await server.WaitForMessagesAsync("alice@example.org", "Inbox", 1));
            Assert.Equal(0, await filter.StopAsync());
        }

        // The period passes in the state file rather than on the clock: Alice was answered two
        // hours ago, longer than the hour the filter is given, so the restarted filter answers again.
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(state))!;
        saved["bob@example.org"]!["alice@example.org"] = DateTimeOffset.UtcNow.AddHours(-2);
        await File.WriteAllTextAsync(state, saved.ToJsonString());
        await using var again = await StartAsync(server, state, period: 3600);
        await server.SendAsync("alice@example.org", "bob@example.org", "Two", "?");
        var replies = await server.WaitForMessagesAsync("alice@example.org", "Inbox", 2);
        Assert.Equal(["Auto: One", "Auto: Two"], replies.Select(r => Mail.Parse(r).Subject));
        Assert.Equal(0, await again.StopAsync());
    }

    [Fact]
    public async Task VacationFilter_NonAsciiSubjectInAThread_ReplyComposedPerRfc3834()
    {
        await using var server = await FilterTestServer.StartAsync(
            new JsonArray(FilterTestServer.Filter("vacation", "inbound")), "alice@example.org", "bob@example.org");
        await using var filter = await StartAsync(server, server.File("vacation.json"), period: 3600);

        await server.SendRawAsync("alice@example.org", ["bob@example.org"], """
            From: Alice <alice@example.org>
            To: bob@example.org
            Subject: =?utf-8?q?R=C3=A9union_=C3=A0_10h?=
            Message-ID: <third@example.org>
            In-Reply-To: <second@example.org>
            References: <first@example.org> <second@example.org>

            Tu viens ?
            """);
        var stored = Assert.Single(await server.WaitForMessagesAsync("alice@example.org", "Inbox", 1));
        var reply = Mail.Parse(stored);

        Assert.Equal("Auto: Réunion à 10h", reply.Subject);
        Assert.Equal("third@example.org", reply.InReplyTo);
        Assert.Equal(["first@example.org", "second@example.org", "third@example.org"], reply.References);
        Assert.Equal("auto-replied", reply.Headers["Auto-Submitted"]);
        Assert.Equal("bob@example.org", Mail.Address(reply.From));
        Assert.Equal("alice@example.org", Mail.Address(reply.To));
        Assert.EndsWith("@example.org", reply.MessageId, StringComparison.Ordinal);
        Assert.Equal("Back on Monday.", reply.TextBody?.Trim());

        // MimeKit wrote it: CRLF line ends, and the non-ASCII subject as an encoded word, so the
        // header is plain ASCII.
        Assert.True(Mail.HasCrlfLineEnds(stored.Content));
        var header = stored.Content.AsSpan(0, stored.Content.AsSpan().IndexOf("\r\n\r\n"u8));
        Assert.True(System.Text.Ascii.IsValid(header));
        Assert.Contains("Subject: Auto: =?utf-8?", System.Text.Encoding.ASCII.GetString(header), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await filter.StopAsync());
    }

    private static Task<FilterChildProcess> StartAsync(FilterTestServer server, string state, int period) =>
        FilterProcess.StartAsync(
            FilterCommand.DotNet("Butterfly.Examples.VacationFilter"), server.SocketPath, "vacation",
            "--accounts", "bob@example.org", "--state", state, "--period", period.ToString(CultureInfo.InvariantCulture),
            "--message", "Back on Monday.");
}
