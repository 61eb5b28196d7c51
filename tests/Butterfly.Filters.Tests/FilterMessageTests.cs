using System.Text;
using MimeKit;

namespace Butterfly.Filters.Tests;

/// <summary>The MimeKit view of a filter message: parsed lazily, once, beside raw bytes it never changes.</summary>
public sealed class FilterMessageTests
{
    private static FilterMessage Message(string raw) => Message(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")));

    private static FilterMessage Message(byte[] raw) => new()
    {
        Id = "r1",
        Stage = "inbound",
        Sender = "alice@example.org",
        Recipients = ["bob@example.org"],
        Origin = "local",
        Raw = raw,
    };

    [Fact]
    public void Mime_ReadTwiceAndChanged_SameObjectAndRawBytesUntouched()
    {
        var raw = Encoding.ASCII.GetBytes("From: alice@example.org\r\nTo: bob@example.org\r\nSubject: =?utf-8?q?Caf=C3=A9?=\r\nMessage-ID: <m1@example.org>\r\n\r\nHello Bob\r\n");
        var before = raw.ToArray();
        var message = Message(raw);

        var mime = message.Mime;
        Assert.Same(mime, message.Mime);
        Assert.Equal("Café", mime.Subject);
        Assert.Equal("m1@example.org", mime.MessageId);
        Assert.Equal("Hello Bob", mime.TextBody?.Trim());

        // The MimeKit object is the filter's to change; the bytes the server sent stay as they were.
        mime.Subject = "changed";
        mime.Headers.Add("X-Added", "1");
        Assert.Equal(before, message.Raw.ToArray());
        Assert.Equal(before, raw);
    }

    [Fact]
    public async Task Mime_ManyThreadsAtOnce_ParsedOnceForAll()
    {
        var message = Message("Subject: shared\n\nbody\n");
        using var start = new Barrier(8);
        var seen = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return message.Mime;
        })));

        Assert.All(seen, m => Assert.Same(seen[0], m));
        Assert.Equal("shared", seen[0].Subject);
    }

    [Fact]
    public void Mime_NotAMessage_ClearErrorEachTimeAndRawBytesKept()
    {
        byte[] raw = [0, 0, 1, .. "garbage with no colon\r\nmore\r\n"u8];
        var message = Message(raw);

        // The envelope and the raw bytes need no parse.
        Assert.Equal("alice@example.org", message.Sender);
        Assert.Equal(raw, message.Raw.ToArray());

        var error = Assert.Throws<FormatException>(() => message.Mime);
        Assert.StartsWith($"The message cannot be read as MIME ({raw.Length} bytes): ", error.Message, StringComparison.Ordinal);
        Assert.False(message.TryGetMime(out var parsed, out var reason));
        Assert.Null(parsed);
        Assert.Equal(error.Message, reason);
        Assert.Equal(error.Message, Assert.Throws<FormatException>(() => message.GetText()).Message);
        Assert.Equal(raw, message.Raw.ToArray());
    }

    [Fact]
    public void Mime_MalformedButReadable_UsableMessage()
    {
        // A header line with no colon, an unterminated multipart, a broken address: MimeKit reads on.
        var message = Message("""
            From: alice@example.org
            this line has no colon
            Subject: still here
            To: <<broken
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            the text
            --b
            Content-Type: application/octet-stream

            never ends
            """);

        Assert.True(message.TryGetMime(out var parsed, out _));
        Assert.Equal("still here", parsed.Subject);
        Assert.Equal("the text", message.GetText().Trim());
        Assert.Equal(2, parsed.BodyParts.Count());
    }

    [Fact]
    public void Mime_NestedDeeperThanTheLimit_ParsedToTheLimitAndTheRestKeptOpaque()
    {
        var depth = FilterMessage.MaxMimeDepth + 50;
        var text = new StringBuilder("Subject: deep\r\n");
        for (var i = 0; i < depth; i++)
        {
            text.Append("Content-Type: multipart/mixed; boundary=b").Append(i).Append("\r\n\r\n--b").Append(i).Append("\r\n");
        }

        text.Append("Content-Type: text/plain\r\n\r\ninnermost\r\n");
        for (var i = depth - 1; i >= 0; i--)
        {
            text.Append("--b").Append(i).Append("--\r\n");
        }

        var mime = Message(Encoding.ASCII.GetBytes(text.ToString())).Mime;

        var nesting = 0;
        MimeEntity? entity = mime.Body;
        while (entity is Multipart multipart)
        {
            nesting++;
            entity = multipart[0];
        }

        Assert.Equal(FilterMessage.MaxMimeDepth, nesting);
        Assert.IsNotType<TextPart>(entity);
        Assert.Equal("multipart/mixed", entity?.ContentType.MimeType);
    }

    [Fact]
    public void GetText_HtmlOnly_TheTextItShows()
    {
        var message = Message("""
            Subject: html
            Content-Type: text/html; charset=utf-8

            <html><head><title>t</title><style>.casino { color: red }</style><script>var jackpot = 1;</script></head>
            <body><p>You are a <b>WIN</b>NER&nbsp;&amp; more</p><div>second   line</div><table><tr><td>a</td><td>b</td></tr></table></body></html>
            """);

        Assert.Equal("t\nYou are a WINNER & more\nsecond line\na b", message.GetText());
    }

    [Fact]
    public void GetText_PlainAndHtmlAlternatives_ThePlainText()
    {
        var message = Message("""
            Subject: both
            Content-Type: multipart/alternative; boundary=x

            --x
            Content-Type: text/plain

            plain words
            --x
            Content-Type: text/html

            <p>html words</p>
            --x--
            """);

        Assert.Equal("plain words", message.GetText().Trim());
    }
}
