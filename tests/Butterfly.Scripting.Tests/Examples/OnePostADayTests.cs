using Butterfly.Scripting.Tests.Support;

namespace Butterfly.Scripting.Tests.Examples;

public class OnePostADayTests
{
    private readonly ScriptedAddress _list = new("2-one-post-a-day.js", "daily@example.org", Scripts.Noon);

    public OnePostADayTests()
    {
        _list.Receive("alice@example.net", "subscribe");
        _list.Receive("bob@example.net", "subscribe");
    }

    [Fact]
    public void FirstPost_GoesToEveryMember()
    {
        var effects = _list.Receive("alice@example.net", "morning", "Good morning");

        Assert.Equal(["alice@example.net", "bob@example.net"], effects.Cast<SendEffect>().SelectMany(send => send.To));
    }

    [Fact]
    public void SecondPostSameDay_IsRefusedWithTheNextAllowedTime()
    {
        _list.Receive("alice@example.net", "morning", "Good morning");
        _list.Advance(TimeSpan.FromHours(3.5));

        var reply = Assert.IsType<SendEffect>(Assert.Single(_list.Receive("alice@example.net", "again", "Me again")));

        Assert.Equal(["alice@example.net"], reply.To);
        Assert.Equal("Re: again", reply.Subject);
        Assert.Contains("already posted", reply.Text, StringComparison.Ordinal);
        Assert.Contains("2026-03-03 00:00 UTC (in 8 h 30 min)", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherMemberSameDay_IsNotLimitedByTheFirst()
    {
        _list.Receive("alice@example.net", "morning", "Good morning");

        Assert.Equal(2, _list.Receive("bob@example.net", "hi", "Hi").Count);
    }

    [Fact]
    public void NextDay_PostingIsAllowedAgain()
    {
        _list.Receive("alice@example.net", "day one", "one");
        _list.AdvanceTo(new DateTimeOffset(2026, 3, 3, 0, 0, 0, TimeSpan.Zero));

        var effects = _list.Receive("alice@example.net", "day two", "two");

        Assert.Equal(2, effects.Count);
        Assert.Contains("\"alice@example.net\":\"2026-03-03\"", _list.State, StringComparison.Ordinal);
    }
}
