using System.Text;
using System.Text.Json.Nodes;
using Butterfly.TestUtilities;
using static Butterfly.Server.Tests.Scripts.ScriptNetwork;

namespace Butterfly.Server.Tests.Scripts;

/// <summary>
/// The five Thwonk examples (src/Examples/thwonk/) end to end: real accounts on a.example, bob a
/// remote member on a second daemon (b.example), everything through the delivery path.
/// </summary>
public sealed class ThwonkExampleTests
{
    [Fact]
    public async Task TinyList_SubscribersLocalAndRemote_GetPostsTrimmedTo140Characters()
    {
        using var directory = new TempDirectory("butterfly-thwonk-1");
        await using var network = await StartAsync(directory);
        const string Play = "play@a.example";
        await ScriptAsync(network, Play, ThwonkExamples.Read("1-tiny-list.js"));
        await using var carol = await LoginAsync(network[A], Carol);
        await using var dave = await LoginAsync(network[A], Dave);
        await using var bob = await LoginAsync(network[B], Bob);
        await SendAsync(carol, "subscribe", "please", Play);
        await SendAsync(dave, "subscribe", "please", Play);
        await SendAsync(bob, "subscribe", "please", Play);
        await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("Re: subscribe"), "bob is welcomed from a.example");
        await WaitForFolderAsync(network[A], Dave, s => s.ContainsKey("Re: subscribe"), "dave is welcomed");

        var post = string.Concat(Enumerable.Repeat("Lorem ipsum dolor sit amet. ", 12));
        await SendAsync(carol, "a long post", post, Play);
        foreach (var (daemon, user) in new[] { (network[A], Carol), (network[A], Dave), (network[B], Bob) })
        {
            await WaitForFolderAsync(daemon, user, s => s.ContainsKey("a long post"), $"{user} has the post");
            await using var reader = await LoginAsync(daemon, user);
            var copy = (await reader.ListMessagesAsync("Inbox")).Messages.Single(m => m.Subject == "a long post");
            var text = MimeKit.MimeMessage.Load(new MemoryStream((await reader.FetchAsync("Inbox", copy.Id)).Content)).TextBody!.Trim();
            Assert.StartsWith("carol@a.example: Lorem ipsum", text, StringComparison.Ordinal);
            Assert.Equal(140, text["carol@a.example: ".Length..].EnumerateRunes().Count());
            Assert.EndsWith("…", text, StringComparison.Ordinal);
        }

        // Dave leaves; bob's post from the other server reaches carol and bob only.
        await SendAsync(dave, "unsubscribe", "bye", Play);
        await WaitForFolderAsync(network[A], Dave, s => s.ContainsKey("Re: unsubscribe"), "dave is told he left");
        await SendAsync(bob, "short one", "Hello from b.", Play);
        await WaitForFolderAsync(network[A], Carol, s => s.ContainsKey("short one"), "carol has bob's post");
        await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("short one"), "bob has his own post");
        await using var alice = await LoginAsync(network[A], Alice);
        await Eventually.TrueAsync(async () => (await RunsAsync(alice, Play)).Length == 6, "six runs logged");
        Assert.False((await SubjectsAsync(network[A], Dave)).ContainsKey("short one"));
        var state = await StateAsync(alice, Play);
        Assert.Equal([Carol, Bob], state.GetProperty("subscribers").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task OnePostADay_SecondPostTheSameDay_IsRefusedWithTheNextAllowedTime()
    {
        using var directory = new TempDirectory("butterfly-thwonk-2");
        await using var network = await StartAsync(directory);
        const string Daily = "daily@a.example";
        await ScriptAsync(network, Daily, ThwonkExamples.Read("2-one-post-a-day.js"));
        await using var carol = await LoginAsync(network[A], Carol);
        await using var bob = await LoginAsync(network[B], Bob);
        await SendAsync(carol, "subscribe", "x", Daily);
        await SendAsync(bob, "subscribe", "x", Daily);
        await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("Re: subscribe"), "bob is welcomed");

        await SendAsync(bob, "first of the day", "Good morning.", Daily);
        await WaitForFolderAsync(network[A], Carol, s => s.ContainsKey("first of the day"), "carol has bob's first post");
        await SendAsync(bob, "second of the day", "Me again.", Daily);
        var bobs = await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("Re: second of the day"), "bob is told to wait");
        Assert.True(bobs.ContainsKey("first of the day"));
        await using var reader = await LoginAsync(network[B], Bob);
        var refusal = (await reader.ListMessagesAsync("Inbox")).Messages.Single(m => m.Subject == "Re: second of the day");
        var text = Encoding.UTF8.GetString((await reader.FetchAsync("Inbox", refusal.Id)).Content);
        Assert.Contains("already posted", text, StringComparison.Ordinal);
        Assert.Contains("next post is allowed from " + DateTime.UtcNow.Date.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);

        await using var alice = await LoginAsync(network[A], Alice);
        await Eventually.TrueAsync(async () => (await RunsAsync(alice, Daily)).Length == 4, "four runs logged");
        Assert.False((await SubjectsAsync(network[A], Carol)).ContainsKey("second of the day"));
    }

    [Fact]
    public async Task PostOrLeave_ScheduleAfterDowntime_RunsOnceAndUnsubscribesWhoDidNotPost()
    {
        using var directory = new TempDirectory("butterfly-thwonk-3");
        await using var network = await StartAsync(directory);
        const string Chatty = "chatty@a.example";
        await ScriptAsync(network, Chatty, ThwonkExamples.Read("3-post-or-leave.js"));
        await using (var carol = await LoginAsync(network[A], Carol))
        {
            await SendAsync(carol, "subscribe", "x", Chatty);
        }

        await WaitForFolderAsync(network[A], Carol, s => s.ContainsKey("Re: subscribe"), "carol is welcomed");

        // Members who joined long ago: carol posted today, bob (on b.example) last posted long ago.
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await using (var alice = await LoginAsync(network[A], Alice))
        {
            var members = new JsonObject
            {
                [Carol] = new JsonObject { ["joined"] = "2020-01-01", ["posted"] = today },
                [Bob] = new JsonObject { ["joined"] = "2020-01-01", ["posted"] = "2020-01-02" },
            };
            var set = await RequestAsync(alice, new JsonObject { ["cmd"] = "script.state", ["address"] = Chatty, ["set"] = new JsonObject { ["members"] = members } });
            Assert.True(set.Ok, set.Message);
        }

        // The daemon was down over three of the schedule's times: they run once, not three times.
        await ThwonkExamples.MissScheduleAsync(network, A, Chatty, missedDays: 3);
        await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("You have been unsubscribed from " + Chatty), "bob is told he was unsubscribed");
        await using var owner = await LoginAsync(network[A], Alice);
        await Eventually.TrueAsync(async () => (await RunsAsync(owner, Chatty)).Any(r => r.GetProperty("trigger").GetString() == "schedule"), "the scheduled run is logged");
        var scheduled = (await RunsAsync(owner, Chatty)).Where(r => r.GetProperty("trigger").GetString() == "schedule").ToArray();
        Assert.Single(scheduled);
        Assert.True(scheduled[0].GetProperty("committed").GetBoolean());
        var state = await StateAsync(owner, Chatty);
        Assert.Equal([Carol], state.GetProperty("members").EnumerateObject().Select(p => p.Name));
        var listed = await RequestAsync(owner, new JsonObject { ["cmd"] = "script.get", ["address"] = Chatty });
        Assert.True(listed.Head.GetProperty("nextRun").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Single(await SubjectsAsync(network[B], Bob), s => s.Key.StartsWith("You have been unsubscribed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DailyDigest_PostsCollected_OneDigestPerSubscriberWhenTheScheduleRuns()
    {
        using var directory = new TempDirectory("butterfly-thwonk-4");
        await using var network = await StartAsync(directory);
        const string Digest = "digest@a.example";
        await ScriptAsync(network, Digest, ThwonkExamples.Read("4-daily-digest.js"));
        await using (var carol = await LoginAsync(network[A], Carol))
        await using (var bob = await LoginAsync(network[B], Bob))
        {
            await SendAsync(carol, "subscribe", "x", Digest);
            await SendAsync(bob, "subscribe", "x", Digest);
            await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("Re: subscribe"), "bob is welcomed");
            await SendAsync(carol, "morning news", "The sun is up.", Digest);
            await SendAsync(bob, "evening news", "The moon is up.", Digest);
        }

        await using (var alice = await LoginAsync(network[A], Alice))
        {
            await Eventually.TrueAsync(async () => (await StateAsync(alice, Digest)).TryGetProperty("pending", out var p) && p.GetArrayLength() == 2, "two posts pending");
        }

        Assert.DoesNotContain(await SubjectsAsync(network[A], Carol), s => s.Key.Contains("digest", StringComparison.Ordinal));
        await ThwonkExamples.MissScheduleAsync(network, A, Digest, missedDays: 1);
        foreach (var (daemon, user) in new[] { (network[A], Carol), (network[B], Bob) })
        {
            var subjects = await WaitForFolderAsync(daemon, user, s => s.Keys.Any(k => k.Contains("digest for", StringComparison.Ordinal)), $"{user} has the digest");
            Assert.Equal(1, subjects.Single(s => s.Key.Contains("digest for", StringComparison.Ordinal)).Value);
            Assert.Contains(subjects.Keys, k => k.EndsWith(": 2 posts", StringComparison.Ordinal));
        }

        await using var owner = await LoginAsync(network[A], Alice);
        Assert.Equal(0, (await StateAsync(owner, Digest)).GetProperty("pending").GetArrayLength());
    }

    [Fact]
    public async Task AutoResponder_OnTheOwnersOwnAddress_FilesEverythingAndAnswersEachSenderOncePerCooldown()
    {
        using var directory = new TempDirectory("butterfly-thwonk-5");
        await using var network = await StartAsync(directory);
        await AllowAsync(network, Carol, owner: Carol);
        await using (var carol = await LoginAsync(network[A], Carol))
        {
            await PutAsync(carol, Carol, ThwonkExamples.Read("5-auto-responder.js"));
        }

        await using (var dave = await LoginAsync(network[A], Dave))
        await using (var bob = await LoginAsync(network[B], Bob))
        {
            await SendAsync(dave, "question one", "x", Carol);
            await WaitForFolderAsync(network[A], Dave, s => s.ContainsKey("Auto: question one"), "dave is answered");
            await SendAsync(dave, "question two", "x", Carol);
            await SendAsync(bob, "from afar", "x", Carol);
        }

        var inbox = await WaitForFolderAsync(network[A], Carol, s => s.Count == 3, "carol has all three messages filed");
        Assert.Equal(["from afar", "question one", "question two"], inbox.Keys.Order(StringComparer.Ordinal));
        await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey("Auto: from afar"), "bob is answered on b.example");
        await using var owner = await LoginAsync(network[A], Carol);
        await Eventually.TrueAsync(async () => (await RunsAsync(owner, Carol)).Length == 3, "three runs logged");
        Assert.Equal(["Auto: question one"], (await SubjectsAsync(network[A], Dave)).Keys);
    }
}
