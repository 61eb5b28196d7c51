using Butterfly.Scripting.Tests.Support;

namespace Butterfly.Scripting.Tests.Examples;

public class AutoResponderTests
{
    private readonly ScriptedAddress _alice = new("5-auto-responder.js", "alice@example.org", Scripts.Noon);

    [Fact]
    public void FirstMessage_IsFiledAndAnswered()
    {
        var effects = _alice.Receive("Bob <bob@example.net>", "Lunch?", "Are you free?");

        Assert.Equal(new FileIntoEffect("Inbox"), effects[0]);
        var reply = Assert.IsType<SendEffect>(effects[1]);
        Assert.Equal(["bob@example.net"], reply.To);
        Assert.Equal("Auto: Lunch?", reply.Subject);
        Assert.Equal("1@test", reply.InReplyTo);
        Assert.Contains(new KeyValuePair<string, string>("Auto-Submitted", "auto-replied"), reply.Headers);
    }

    [Fact]
    public void SecondMessageWithinCooldown_IsFiledNotAnswered()
    {
        _alice.Receive("bob@example.net", "one", "1");
        _alice.Advance(TimeSpan.FromHours(23));

        var effects = _alice.Receive("bob@example.net", "two", "2");

        Assert.Equal([new FileIntoEffect("Inbox")], effects);
        Assert.Contains("bob@example.net was answered less than 24 h ago: no reply", _alice.Log);
    }

    [Fact]
    public void AfterCooldown_IsAnsweredAgain()
    {
        _alice.Receive("bob@example.net", "one", "1");
        _alice.Advance(TimeSpan.FromHours(24));

        Assert.Equal(2, _alice.Receive("bob@example.net", "two", "2").Count);
    }

    [Fact]
    public void Cooldown_IsPerSender()
    {
        _alice.Receive("bob@example.net", "one", "1");

        Assert.Equal(2, _alice.Receive("carol@example.net", "hi", "hi").Count);
    }

    [Fact]
    public void ExpiredSenders_AreForgotten()
    {
        _alice.Receive("bob@example.net", "one", "1");
        _alice.Advance(TimeSpan.FromDays(2));
        _alice.Receive("carol@example.net", "hi", "hi");

        Assert.DoesNotContain("bob@example.net", _alice.State, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-replied\r\n", "bob@example.net")]
    [InlineData("Precedence: bulk\r\n", "bob@example.net")]
    [InlineData("List-Id: <news.example.net>\r\n", "bob@example.net")]
    [InlineData("", "")]
    public void RobotsListsAndBounces_AreNeverAnswered(string headers, string envelopeFrom)
    {
        var effects = _alice.Receive("bob@example.net", "news", "x", headers, envelopeFrom);

        Assert.Equal([new FileIntoEffect("Inbox")], effects);
    }
}
