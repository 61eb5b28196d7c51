using Butterfly.Scripting.Tests.Support;

namespace Butterfly.Scripting.Tests.Examples;

public class DailyDigestTests
{
    // 08:00 UTC on 2 March is 09:00 in Berlin (CET); the digest goes at 18:00 Berlin, 17:00 UTC.
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly ScriptedAddress _digest = new("4-daily-digest.js", "digest@example.org", Morning);

    public DailyDigestTests()
    {
        _digest.Receive("alice@example.net", "subscribe");
        _digest.Receive("bob@example.net", "subscribe");
    }

    [Fact]
    public void Posts_AreCollectedNotSent()
    {
        Assert.Empty(_digest.Receive("Alice <alice@example.net>", "first", "Post one"));
        Assert.Empty(_digest.Receive("bob@example.net", "second", "Post two"));

        Assert.Contains("\"pending\":[{\"from\":\"Alice <alice@example.net>\",\"subject\":\"first\"", _digest.State, StringComparison.Ordinal);
    }

    [Fact]
    public void Schedule_SendsOneDigestPerSubscriberAndEmptiesThePending()
    {
        _digest.Receive("Alice <alice@example.net>", "first", "Post one");
        _digest.Advance(TimeSpan.FromHours(2));
        _digest.Receive("bob@example.net", "second", "Post two");

        var effects = _digest.AdvanceTo(Morning.AddHours(12));

        var digests = effects.Cast<SendEffect>().ToList();
        Assert.Equal(["alice@example.net", "bob@example.net"], digests.Select(send => Assert.Single(send.To)));
        Assert.All(digests, digest =>
        {
            Assert.Equal("digest@example.org digest for 2026-03-02: 2 posts", digest.Subject);
            Assert.Contains("1. first (Alice <alice@example.net>)\n2. second (bob@example.net)", digest.Text, StringComparison.Ordinal);
            Assert.Contains("Post one", digest.Text, StringComparison.Ordinal);
            Assert.Contains("Post two", digest.Text, StringComparison.Ordinal);
        });
        Assert.Contains("\"pending\":[]", _digest.State, StringComparison.Ordinal);
    }

    [Fact]
    public void Schedule_RunsAt18BerlinTime()
    {
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 17, 0, 0, TimeSpan.Zero), _digest.NextSchedule);
    }

    [Fact]
    public void Schedule_DayWithoutPosts_SendsNothing()
    {
        _digest.Receive("alice@example.net", "monday", "One post");
        Assert.Equal(2, _digest.AdvanceTo(Morning.AddHours(12)).Count);

        Assert.Empty(_digest.AdvanceTo(Morning.AddDays(1).AddHours(12)));
    }

    [Fact]
    public void Digests_OverSeveralDays_EachHoldsItsOwnDaysPosts()
    {
        _digest.Receive("alice@example.net", "monday", "Monday's post");
        var monday = _digest.AdvanceTo(Morning.AddHours(12)).Cast<SendEffect>().First();
        _digest.Receive("bob@example.net", "tuesday", "Tuesday's post");
        var tuesday = _digest.AdvanceTo(Morning.AddDays(1).AddHours(12)).Cast<SendEffect>().First();

        Assert.Contains("Monday's post", monday.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Tuesday's post", monday.Text, StringComparison.Ordinal);
        Assert.Contains("Tuesday's post", tuesday.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Monday's post", tuesday.Text, StringComparison.Ordinal);
        Assert.Equal("digest@example.org digest for 2026-03-03: 1 post", tuesday.Subject);
    }
}
