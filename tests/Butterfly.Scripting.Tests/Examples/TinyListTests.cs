using Butterfly.Scripting.Tests.Support;

namespace Butterfly.Scripting.Tests.Examples;

public class TinyListTests
{
    private readonly ScriptedAddress _list = new("1-tiny-list.js", "play@example.org", Scripts.Noon);

    [Fact]
    public void Subscribe_AddsToStateAndWelcomes()
    {
        var effects = _list.Receive("Alice <Alice@Example.net>", "subscribe");

        var welcome = Assert.IsType<SendEffect>(Assert.Single(effects));
        Assert.Equal(["Alice@Example.net"], welcome.To);
        Assert.Contains("140 characters", welcome.Text, StringComparison.Ordinal);
        Assert.Equal("""{"subscribers":["alice@example.net"]}""", _list.State);
    }

    [Fact]
    public void Post_TrimmedTo140AndSentToEverySubscriber()
    {
        _list.Receive("alice@example.net", "subscribe");
        _list.Receive("bob@example.net", " Subscribe ");
        _list.Receive("carol@example.net", "SUBSCRIBE");

        var effects = _list.Receive("Alice <alice@example.net>", "news", new string('a', 100) + "\r\n   " + new string('b', 100));

        var sends = effects.Cast<SendEffect>().ToList();
        Assert.Equal(["alice@example.net", "bob@example.net", "carol@example.net"], sends.Select(send => Assert.Single(send.To)));
        var post = sends[0].Text!["Alice: ".Length..];
        Assert.Equal(140, post.Length);
        Assert.Equal(new string('a', 100) + " " + new string('b', 38) + "…", post);
        Assert.All(sends, send => Assert.Equal("news", send.Subject));
        Assert.All(sends, send => Assert.Contains(new KeyValuePair<string, string>("List-Id", "<play.example.org>"), send.Headers));
    }

    [Fact]
    public void Post_ShortTextIsSentWhole()
    {
        _list.Receive("alice@example.net", "subscribe");

        var send = Assert.IsType<SendEffect>(Assert.Single(_list.Receive("alice@example.net", "hi", "Short and sweet.")));

        Assert.Equal("alice@example.net: Short and sweet.", send.Text);
    }

    [Fact]
    public void Unsubscribe_StopsFurtherPosts()
    {
        _list.Receive("alice@example.net", "subscribe");
        _list.Receive("bob@example.net", "subscribe");

        _list.Receive("bob@example.net", "unsubscribe");
        var effects = _list.Receive("alice@example.net", "after", "Bob is gone.");

        Assert.Equal(["alice@example.net"], effects.Cast<SendEffect>().SelectMany(send => send.To));
        Assert.Equal("""{"subscribers":["alice@example.net"]}""", _list.State);
    }

    [Fact]
    public void Post_FromNonSubscriber_IsAnsweredNotSent()
    {
        _list.Receive("alice@example.net", "subscribe");

        var reply = Assert.IsType<SendEffect>(Assert.Single(_list.Receive("mallory@example.net", "spam", "buy now")));

        Assert.Equal(["mallory@example.net"], reply.To);
        Assert.Contains("Only subscribers", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Bounce_IsIgnored()
    {
        _list.Receive("alice@example.net", "subscribe");

        Assert.Empty(_list.Receive("mailer-daemon@example.net", "Undelivered", "x", envelopeFrom: ""));
        Assert.Empty(_list.Receive("alice@example.net", "Away", "x", extraHeaders: "Auto-Submitted: auto-replied\r\n"));
    }

    [Fact]
    public void HundredSubscribers_EachGetsThePost()
    {
        for (var i = 0; i < 100; i++)
        {
            _list.Receive($"member{i}@example.net", "subscribe");
        }

        var effects = _list.Receive("member7@example.net", "hello all", "Hi everyone");

        Assert.Equal(100, effects.Count);
    }
}
