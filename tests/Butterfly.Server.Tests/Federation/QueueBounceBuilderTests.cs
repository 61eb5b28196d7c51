using System.Text;
using Butterfly.Mime;
using Butterfly.Server.Delivery;

namespace Butterfly.Server.Tests.Federation;

/// <summary>Bounces and delay notices: readable, addressed to the sender, carrying the original header block.</summary>
public sealed class QueueBounceBuilderTests
{
    private static readonly byte[] Original = Encoding.UTF8.GetBytes(
        "From: Alice <alice@a.example>\r\nTo: bob@b.example\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nMessage-ID: <m1@a.example>\r\n"
        + "X-Trace: original\r\n\r\nSECRET BODY TEXT\r\n");

    [Fact]
    public void Bounce_TwoRecipients_NamesEachWithCodeAndReason()
    {
        var bytes = BounceBuilder.Bounce(
            "a.example",
            "alice@a.example",
            [new FailedRecipient("bob@b.example", "recipient.unknown", "no such user"), new FailedRecipient("carol@b.example", null, "mailbox full")],
            Original,
            DateTimeOffset.UnixEpoch);

        Assert.Equal(MimeError.None, MimeMessage.TryParse(bytes, out var message));
        Assert.Equal("Undelivered mail: Grüße", message!.Subject);
        Assert.Equal("mailer-daemon@a.example", Assert.Single(message.From).Address);
        Assert.Equal("Mail Delivery System", message.From[0].Name);
        Assert.Equal("alice@a.example", Assert.Single(message.To).Address);
        Assert.Equal("auto-replied", message.Headers.GetFirst("Auto-Submitted")?.Value.Trim());
        Assert.Equal("m1@a.example", message.InReplyTo?.Trim('<', '>'));
        var text = message.GetText();
        Assert.Contains("<bob@b.example>: recipient.unknown: no such user", text, StringComparison.Ordinal);
        Assert.Contains("<carol@b.example>: mailbox full", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Bounce_OriginalHeaders_AttachedAsRfc822HeadersWithoutTheBody()
    {
        var bytes = BounceBuilder.Bounce("a.example", "alice@a.example", [new FailedRecipient("bob@b.example", null, "gone")], Original, DateTimeOffset.UnixEpoch);

        Assert.Equal(MimeError.None, MimeMessage.TryParse(bytes, out var message));
        var part = Assert.Single(message!.Body.Children, c => c.ContentType.MimeType == "text/rfc822-headers");
        var headers = Encoding.UTF8.GetString(part.GetContent());
        Assert.Contains("X-Trace: original", headers, StringComparison.Ordinal);
        Assert.Contains("Message-ID: <m1@a.example>", headers, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET BODY TEXT", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void DelayNotice_SaysItIsAWarningAndWhenTheQueueGivesUp()
    {
        var queued = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        var bytes = BounceBuilder.DelayNotice(
            "a.example",
            "alice@a.example",
            [new FailedRecipient("bob@b.example", "peer.unreachable", "connection refused")],
            queued,
            queued.AddDays(5),
            Original,
            queued.AddHours(4));

        Assert.Equal(MimeError.None, MimeMessage.TryParse(bytes, out var message));
        Assert.Equal("Delivery delayed: Grüße", message!.Subject);
        var text = message.GetText();
        Assert.Contains("only a warning", text, StringComparison.Ordinal);
        Assert.Contains("26 Nov 2026", text, StringComparison.Ordinal);
        Assert.Contains("<bob@b.example>: peer.unreachable: connection refused", text, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderBlock_NoEmptyLine_CutAtTheLastLineWithinTheLimit()
    {
        var line = Encoding.ASCII.GetBytes("X-Long: " + new string('a', 100) + "\r\n");
        var huge = Enumerable.Repeat(line, (BounceBuilder.MaxAttachedHeaderBytes / line.Length) + 10).SelectMany(l => l).ToArray();

        var block = BounceBuilder.HeaderBlock(huge);

        Assert.InRange(block.Length, BounceBuilder.MaxAttachedHeaderBytes - line.Length, BounceBuilder.MaxAttachedHeaderBytes);
        Assert.Equal((byte)'\n', block.Span[^1]);
    }

    [Fact]
    public void HeaderBlock_BareLineFeeds_EndsAtTheEmptyLine()
    {
        var block = BounceBuilder.HeaderBlock(Encoding.ASCII.GetBytes("Subject: x\nFrom: a@b\n\nbody\n"));

        Assert.Equal("Subject: x\nFrom: a@b\n", Encoding.ASCII.GetString(block.Span));
    }
}
