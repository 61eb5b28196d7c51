using System.Text;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Tests.Mail;

public sealed class RawHeadersTests
{
    [Fact]
    public void Rewrite_ByteOrderMarkBeforeFirstField_DropsTheMarkAndKeepsTheField()
    {
        var raw = Encoding.UTF8.GetBytes("\uFEFFFrom: alice@example.org\r\nTo: bob@example.org\r\nSubject: marked\r\n\r\nbody\r\n");
        var parsed = Parse(raw);

        var rewritten = RawHeaders.Rewrite(raw, parsed, "Received: from test\r\n", drop: []);
        var again = Parse(rewritten);

        Assert.Equal("Received: from test\r\nFrom: alice@example.org\r\nTo: bob@example.org\r\nSubject: marked\r\n\r\nbody\r\n", Encoding.UTF8.GetString(rewritten));
        Assert.Equal("alice@example.org", again.Headers.GetFirst("From")?.DecodedValue);
    }

    [Fact]
    public void Rewrite_DropsBcc_WithItsFoldedLines()
    {
        var raw = Encoding.UTF8.GetBytes("From: alice@example.org\r\nBcc: carol@example.org,\r\n dave@example.org\r\nSubject: s\r\n\r\nbody\r\n");
        var parsed = Parse(raw);

        var rewritten = RawHeaders.Rewrite(raw, parsed, "X-Trace: 1\r\n", drop: ["bcc"]);

        Assert.Equal("X-Trace: 1\r\nFrom: alice@example.org\r\nSubject: s\r\n\r\nbody\r\n", Encoding.UTF8.GetString(rewritten));
    }

    private static Butterfly.Mime.MimeMessage Parse(byte[] raw)
    {
        Assert.Equal(Butterfly.Mime.MimeError.None, Butterfly.Mime.MimeMessage.TryParse(raw, out var message));
        return message!;
    }
}
