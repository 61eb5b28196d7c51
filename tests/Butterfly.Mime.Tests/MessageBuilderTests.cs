using System.Text;

namespace Butterfly.Mime.Tests;

public class MessageBuilderTests
{
    private static MessageBuilder Sample() => new()
    {
        From = new MailboxAddress("Alice Example", "alice@example.org"),
        Subject = "Hello",
        Date = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
        MessageId = "<id-1@example.org>",
        TextBody = "Hi Bob,\r\nsee you.\r\n",
    };

    private static MimeMessage RoundTrip(MessageBuilder b) => Msg.Parse(b.ToBytes());

    [Fact]
    public void ToBytes_AllHeaderFields_RoundTrip()
    {
        var b = Sample();
        b.To.Add(new MailboxAddress("Bob", "bob@example.org"));
        b.To.Add(new MailboxAddress(null, "carol@example.org"));
        b.Cc.Add(new MailboxAddress("Doe, Jane", "jane@example.org"));
        b.ReplyTo.Add(new MailboxAddress(null, "list@example.org"));
        b.InReplyTo = "parent@example.org";
        b.References.Add("<root@example.org>");
        b.References.Add("parent@example.org");
        var m = RoundTrip(b);
        Assert.Equal(b.From, Assert.Single(m.From));
        Assert.Equal(b.To, m.To);
        Assert.Equal(b.Cc, m.Cc);
        Assert.Equal(b.ReplyTo, m.ReplyTo);
        Assert.Equal("Hello", m.Subject);
        Assert.Equal(b.Date, m.Date);
        Assert.Equal(b.Date!.Value.Offset, m.Date!.Value.Offset);
        Assert.Equal("<id-1@example.org>", m.MessageId);
        Assert.Equal("<parent@example.org>", m.InReplyTo);
        Assert.Equal(["<root@example.org>", "<parent@example.org>"], m.References);
        Assert.Equal("Hi Bob,\r\nsee you.\r\n", m.GetText());
    }

    [Fact]
    public void ToBytes_Bcc_OmittedUnlessIncluded()
    {
        var b = Sample();
        b.Bcc.Add(new MailboxAddress(null, "secret@example.org"));
        Assert.DoesNotContain("secret@", Encoding.UTF8.GetString(b.ToBytes()), StringComparison.Ordinal);
        b.IncludeBcc = true;
        Assert.Equal("secret@example.org", Assert.Single(RoundTrip(b).Bcc).Address);
    }

    [Fact]
    public void ToBytes_CrlfOnly_AndLinesFoldedAt78()
    {
        var b = Sample();
        b.Subject = string.Join(' ', Enumerable.Repeat("word", 60));
        for (int i = 0; i < 20; i++)
        {
            b.To.Add(new MailboxAddress("Person Number " + i, $"person{i}@example.org"));
        }

        var bytes = b.ToBytes();
        var text = Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain("\n", text.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        var headerBlock = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.All(headerBlock.Split("\r\n"), line => Assert.True(line.Length <= 78, line));
        var m = Msg.Parse(bytes);
        Assert.Equal(b.Subject, m.Subject);
        Assert.Equal(b.To, m.To);
    }

    [Theory]
    [InlineData("Grüße aus Köln")]
    [InlineData("日本語のメールの件名はとても長くなることがあります。日本語のメールの件名はとても長くなることがあります。")]
    [InlineData("emoji 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀 end")]
    [InlineData("looks =?utf-8?q?encoded?= but is not")]
    [InlineData("  spaced   out  ")]
    [InlineData("averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword and more")]
    public void ToBytes_NonAsciiSubject_EncodedWordsRoundTrip(string subject)
    {
        var b = Sample();
        b.Subject = subject;
        b.From = new MailboxAddress("Zoë 😀 \"Q\" Ångström", "zoe@example.org");
        b.To.Add(new MailboxAddress("A \"quoted\" name that is long enough, with commas, to need more than one line", "long@example.org"));
        var bytes = b.ToBytes();
        var head = Encoding.UTF8.GetString(bytes, 0, Msg.Parse(bytes).HeaderLength);
        Assert.True(Ascii.IsValid(head), head);
        Assert.All(head.Split("\r\n"), line => Assert.True(line.Length <= 78, line));
        var m = Msg.Parse(bytes);
        Assert.Equal(subject.Trim(), m.Subject);
        Assert.Equal(b.From, m.From[0]);
        Assert.Equal(b.To, m.To);
    }

    [Fact]
    public void ToBytes_HeaderInjection_Neutralized()
    {
        var b = Sample();
        b.Subject = "hi\r\nBcc: victim@example.org";
        var m = RoundTrip(b);
        Assert.Empty(m.Bcc);
        Assert.Equal("hi Bcc: victim@example.org", m.Subject);
    }

    [Theory]
    [InlineData("plain ascii text\r\n", "7bit")]
    [InlineData("mostly ascii with one é\r\n", "quoted-printable")]
    [InlineData("Ελληνικά κείμενα παντού εδώ\r\n", "base64")]
    public void ToBytes_TransferEncoding_ChosenByContent(string text, string expected)
    {
        var b = Sample();
        b.TextBody = text;
        var m = RoundTrip(b);
        Assert.Equal(expected, m.Body.ContentTransferEncoding);
        Assert.Equal(text, m.GetText());
    }

    [Fact]
    public void ToBytes_LongLinesAndTrailingSpace_QuotedPrintableRoundTrip()
    {
        var b = Sample();
        var text = new string('x', 2000) + " \r\nFrom here\r\n.\r\n-- \r\nsig é";
        b.TextBody = text;
        var bytes = b.ToBytes();
        Assert.All(Encoding.ASCII.GetString(bytes).Split("\r\n"), line => Assert.True(line.Length <= 78));
        Assert.Equal(text, Msg.Parse(bytes).GetText());
    }

    [Fact]
    public void ToBytes_LfInText_NormalizedToCrlf()
    {
        var b = Sample();
        b.TextBody = "a\nb\rc";
        Assert.Equal("a\r\nb\r\nc", RoundTrip(b).GetText());
    }

    [Fact]
    public void ToBytes_HtmlAlternativeAndAttachments_RoundTrip()
    {
        var b = Sample();
        b.HtmlBody = "<p>Hi <b>Bob</b></p>";
        var pdf = new byte[3000];
        new Random(1).NextBytes(pdf);
        b.Attachments.Add(new Attachment("report.pdf", "application/pdf", pdf));
        var longName = "Rapport annuel très détaillé de l'année 2024 — version finale définitive ✓.txt";
        b.Attachments.Add(new Attachment(longName, "text/plain", Encoding.UTF8.GetBytes("line1\nline2\n")));
        b.Attachments.Add(new Attachment("x.bin", "not a type", new byte[] { 0, 1, 2 }));
        var m = RoundTrip(b);
        Assert.True(m.Body.ContentType.IsMimeType("multipart", "mixed"));
        Assert.Equal(4, m.Body.Children.Count);
        Assert.True(m.Body.Children[0].ContentType.IsMimeType("multipart", "alternative"));
        Assert.Equal("Hi Bob,\r\nsee you.\r\n", m.GetText());
        var atts = m.GetAttachments();
        Assert.Equal(3, atts.Count);
        Assert.Equal("report.pdf", atts[0].FileName);
        Assert.Equal("application/pdf", atts[0].MediaType);
        Assert.Equal(3000, atts[0].Size);
        Assert.Equal(pdf, atts[0].Entity.GetContent());
        Assert.Equal(longName, atts[1].FileName);
        Assert.Equal("line1\nline2\n", Encoding.UTF8.GetString(atts[1].Entity.GetContent()));
        Assert.Equal("application/octet-stream", atts[2].MediaType);
    }

    [Fact]
    public void ToBytes_HtmlOnly_SinglePart()
    {
        var b = Sample();
        b.TextBody = null;
        b.HtmlBody = "<p>Hi&nbsp;there &amp; welcome</p>";
        var m = RoundTrip(b);
        Assert.True(m.Body.ContentType.IsMimeType("text", "html"));
        Assert.Equal("Hi there & welcome", m.GetText().Trim());
    }

    [Fact]
    public void ToBytes_Boundaries_Unique()
    {
        var b = Sample();
        b.HtmlBody = "<p>x</p>";
        var one = Msg.Parse(b.ToBytes()).Body.ContentType.Boundary;
        var two = Msg.Parse(b.ToBytes()).Body.ContentType.Boundary;
        Assert.NotEqual(one, two);
    }

    [Fact]
    public void ToBytes_NoMessageIdOrDate_Generated()
    {
        var b = new MessageBuilder { From = new MailboxAddress(null, "a@example.org"), TextBody = "x" };
        var m = RoundTrip(b);
        Assert.EndsWith("@example.org>", m.MessageId, StringComparison.Ordinal);
        Assert.NotNull(m.Date);
    }
}
