using System.Text;
using Butterfly.Server.Delivery;
using Butterfly.Server.Tests.Infrastructure;
using MimeKit.Utils;
using Scanned = Butterfly.Mime.MimeMessage;

namespace Butterfly.Server.Tests.Delivery;

/// <summary>Bounces and delay notices: RFC 3464 reports, read back with MimeKit, addressed to the sender, carrying the original header block.</summary>
public sealed class BounceBuilderTests
{
    private static readonly byte[] Original = Encoding.UTF8.GetBytes(
        "From: Alice <alice@a.example>\r\nTo: bob@b.example\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nMessage-ID: <m1@a.example>\r\n"
        + "X-Trace: original\r\n\r\nSECRET BODY TEXT\r\n");

    private static readonly DateTimeOffset Arrival = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset Now = Arrival.AddHours(4);

    private static readonly FailedRecipient Gone = new("bob@b.example", null, "gone");

    [Fact]
    public void Compose_Bounce_ReportNamesEachRecipientWithStatusAndDiagnostic()
    {
        var report = Bounce(
            new FailedRecipient("bob@b.example", "recipient.unknown", "no such user") { RemoteMta = "b.example" },
            new FailedRecipient("carol@b.example", null, "mailbox full"));

        var view = DeliveryReportView.Parse(BounceBuilder.Compose("mx.a.example", report, Now));

        Assert.Equal("dns; mx.a.example", view.PerMessage["Reporting-MTA"]);
        Assert.Equal(Arrival, Date(view.PerMessage["Arrival-Date"]));
        Assert.Equal(2, view.Recipients.Count);

        var bob = view.Recipient("bob@b.example");
        Assert.Equal("failed", bob["Action"]);
        Assert.Equal("5.1.1", bob["Status"]);
        Assert.Equal("dns; b.example", bob["Remote-MTA"]);
        Assert.Equal("X-Butterfly; recipient.unknown: no such user", bob["Diagnostic-Code"]);
        Assert.Equal(Now, Date(bob["Last-Attempt-Date"]));
        Assert.Null(bob["Will-Retry-Until"]);

        var carol = view.Recipient("carol@b.example");
        Assert.Equal("5.0.0", carol["Status"]);
        Assert.Null(carol["Remote-MTA"]);
        Assert.Equal("X-Butterfly; mailbox full", carol["Diagnostic-Code"]);

        Assert.Contains("<bob@b.example>: recipient.unknown: no such user", view.Text, StringComparison.Ordinal);
        Assert.Contains("<carol@b.example>: mailbox full", view.Text, StringComparison.Ordinal);
        Assert.Contains("will not try again", view.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_Bounce_HeaderFieldsOfANoticeThatIsNotAnswered()
    {
        var report = Bounce(Gone);

        var message = DeliveryReportView.Parse(BounceBuilder.Compose("mx.a.example", report, Now)).Message;

        Assert.Equal("Undelivered mail: Grüße", message.Subject);
        var from = Assert.IsType<MimeKit.MailboxAddress>(Assert.Single(message.From));
        Assert.Equal(("Mail Delivery System", "mailer-daemon@mx.a.example"), (from.Name, from.Address));
        Assert.Equal("alice@a.example", Assert.IsType<MimeKit.MailboxAddress>(Assert.Single(message.To)).Address);
        Assert.Equal("auto-replied", message.Headers["Auto-Submitted"]);
        Assert.Equal("1.0", message.MimeVersion?.ToString());
        Assert.Equal(Now, message.Date);
        Assert.EndsWith("@mx.a.example", message.MessageId, StringComparison.Ordinal);
        Assert.Equal("m1@a.example", message.InReplyTo);
        Assert.Equal(["m1@a.example"], message.References);
    }

    [Fact]
    public void Compose_DelayNotice_DelayedWithWillRetryUntil()
    {
        var giveUp = Arrival.AddDays(5);
        var report = Bounce(new FailedRecipient("bob@b.example", "peer.unreachable", "connection refused") { Temporary = true }) with
        {
            Action = ReportAction.Delayed,
            RetryUntil = giveUp,
        };

        var view = DeliveryReportView.Parse(BounceBuilder.Compose("a.example", report, Now));

        Assert.Equal("Delivery delayed: Grüße", view.Message.Subject);
        var bob = view.Recipient("bob@b.example");
        Assert.Equal("delayed", bob["Action"]);
        Assert.Equal("4.4.1", bob["Status"]);
        Assert.Equal(giveUp, Date(bob["Will-Retry-Until"]));
        Assert.Equal("X-Butterfly; peer.unreachable: connection refused", bob["Diagnostic-Code"]);
        Assert.Contains("only a warning", view.Text, StringComparison.Ordinal);
        Assert.Contains("26 Nov 2026", view.Text, StringComparison.Ordinal);
        Assert.Contains("<bob@b.example>: peer.unreachable: connection refused", view.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_GaveUpOnATemporaryFailure_FailedWithTheTemporaryStatus()
    {
        // RFC 3464 §2.3.3: a queue that gives up reports "failed" with the 4.x.x status it kept getting.
        var report = Bounce(new FailedRecipient("bob@b.example", "peer.timeout", "no answer (gave up after 9 attempts over 5 days)") { Temporary = true });

        var bob = DeliveryReportView.Parse(BounceBuilder.Compose("a.example", report, Now)).Recipient("bob@b.example");

        Assert.Equal("failed", bob["Action"]);
        Assert.Equal("4.4.2", bob["Status"]);
    }

    [Fact]
    public void Compose_OriginalHeaders_AttachedAsRfc822HeadersWithoutTheBody()
    {
        var report = Bounce(Gone);

        var bytes = BounceBuilder.Compose("a.example", report, Now);
        var headers = DeliveryReportView.Parse(bytes).OriginalHeaders;

        Assert.Equal("original", headers["X-Trace"]);
        Assert.Equal("<m1@a.example>", headers["Message-ID"]);
        Assert.Equal("Grüße", headers["Subject"]);
        Assert.DoesNotContain("SECRET BODY TEXT", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_EightBitOriginalHeaders_CarriedAsUtf8()
    {
        var original = Encoding.UTF8.GetBytes("From: Zoë <zoe@a.example>\r\nSubject: Grüße aus Köln\r\n\r\nbody\r\n");
        var report = Bounce(Gone) with { Sender = "zoe@a.example", Original = original };

        var view = DeliveryReportView.Parse(BounceBuilder.Compose("a.example", report, Now));

        Assert.Equal("Undelivered mail: Grüße aus Köln", view.Message.Subject);
        Assert.Equal("Grüße aus Köln", view.OriginalHeaders["Subject"]);
        Assert.Equal("8bit", view.HeadersPart.Headers["Content-Transfer-Encoding"]);
    }

    [Fact]
    public void Compose_OriginalWithAStrayLine_AttachesTheFieldsTheScannerFound()
    {
        var original = Encoding.UTF8.GetBytes("\uFEFFSubject: stray\r\nthis line has no colon\r\nX-Kept: yes\r\n\r\nbody\r\n");
        var report = Bounce(Gone) with { Original = original };

        var view = DeliveryReportView.Parse(BounceBuilder.Compose("a.example", report, Now));

        Assert.Equal("stray", view.OriginalHeaders["Subject"]);
        Assert.Equal("yes", view.OriginalHeaders["X-Kept"]);
    }

    [Fact]
    public void Compose_NonAsciiReasonAndAddress_StatusFieldsStayAscii()
    {
        var report = Bounce(new FailedRecipient("zoë@b.example", "filter.rejected", "refusé\r\nby policy"));

        var view = DeliveryReportView.Parse(BounceBuilder.Compose("a.example", report, Now));

        var zoe = Assert.Single(view.Recipients);
        Assert.Equal("rfc822; zo?@b.example", zoe["Final-Recipient"]);
        Assert.Equal("5.7.1", zoe["Status"]);
        Assert.Equal("X-Butterfly; filter.rejected: refus???by policy", zoe["Diagnostic-Code"]);
        Assert.Contains("refusé", view.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_Notice_CrlfLineEndsAndReadableByTheServersScanner()
    {
        var report = Bounce(Gone);

        var bytes = BounceBuilder.Compose("a.example", report, Now);

        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.True(bytes[i] != (byte)'\n' || (i > 0 && bytes[i - 1] == (byte)'\r'), $"bare LF at {i}");
        }

        Assert.Equal(Butterfly.Mime.MimeError.None, Scanned.TryParse(bytes, out var scanned));
        Assert.Equal("Undelivered mail: Grüße", scanned!.Subject);
        Assert.Contains("<bob@b.example>: gone", scanned.GetText(), StringComparison.Ordinal);
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

    private static DateTimeOffset Date(string? value)
    {
        Assert.True(DateUtils.TryParse(value, out var date), $"'{value}' is not an RFC 5322 date");
        return date;
    }

    /// <summary>A bounce to alice about <paramref name="recipients"/> of <see cref="Original"/>.</summary>
    private static DeliveryReport Bounce(params FailedRecipient[] recipients) =>
        new(ReportAction.Failed, "alice@a.example", recipients, Original, Arrival, Hops: 1);
}
