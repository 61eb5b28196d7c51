using Butterfly.Scripting.Tests.Support;

namespace Butterfly.Scripting.Tests.Examples;

public class PostOrLeaveTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly ScriptedAddress _list = new("3-post-or-leave.js", "chatty@example.org", Day1);

    [Fact]
    public void Schedule_IsDailyJustAfterMidnightUtc()
    {
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 5, 0, TimeSpan.Zero), _list.NextSchedule);
    }

    [Fact]
    public void Schedule_UnsubscribesAndTellsMembersWhoDidNotPost()
    {
        _list.Receive("alice@example.net", "subscribe");
        _list.Receive("bob@example.net", "subscribe");

        // Day 1 is their joining day: a day's grace.
        Assert.Empty(_list.AdvanceTo(Day1.AddDays(1)));

        // Day 2: only Alice posts.
        Assert.Equal(2, _list.Receive("alice@example.net", "hello", "I am here").Count);
        var effects = _list.AdvanceTo(Day1.AddDays(2));

        var notice = Assert.IsType<SendEffect>(Assert.Single(effects));
        Assert.Equal(["bob@example.net"], notice.To);
        Assert.Contains("did not post to chatty@example.org on 2026-03-02", notice.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("bob@example.net", _list.State, StringComparison.Ordinal);
        Assert.Contains("alice@example.net", _list.State, StringComparison.Ordinal);
        Assert.Contains("unsubscribed bob@example.net: no post on 2026-03-02", _list.Log);
    }

    [Fact]
    public void Schedule_EveryoneSilent_EveryoneLeavesAfterTheGraceDay()
    {
        _list.Receive("alice@example.net", "subscribe");
        _list.Receive("bob@example.net", "subscribe");

        var effects = _list.AdvanceTo(Day1.AddDays(2));

        Assert.Equal(["alice@example.net", "bob@example.net"], effects.Cast<SendEffect>().SelectMany(send => send.To).Order());
        Assert.Equal("""{"members":{}}""", _list.State);
    }

    [Fact]
    public void Post_FromNonMember_IsAnswered()
    {
        var reply = Assert.IsType<SendEffect>(Assert.Single(_list.Receive("carol@example.net", "hi", "let me in")));

        Assert.Contains("Only members", reply.Text, StringComparison.Ordinal);
    }
}
