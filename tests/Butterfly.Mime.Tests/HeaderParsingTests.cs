using System.Text;

namespace Butterfly.Mime.Tests;

public class HeaderParsingTests
{
    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public void TryParse_FoldedSubject_Unfolds(string eol)
    {
        var m = Msg.Parse($"Subject: a long{eol} subject{eol}\tline{eol}From: a@b.example{eol}{eol}body");
        Assert.Equal("a long subject\tline", m.Subject);
        Assert.Equal("a@b.example", Assert.Single(m.From).Address);
    }

    [Fact]
    public void TryParse_HeaderLength_IncludesBlankLine()
    {
        var text = "Subject: x\r\nTo: y@z.example\r\n\r\nbody";
        var m = Msg.Parse(text);
        Assert.Equal(text.IndexOf("body", StringComparison.Ordinal), m.HeaderLength);
        Assert.Equal("body", Encoding.ASCII.GetString(m.Body.RawBody.Span));
    }

    [Fact]
    public void TryParse_BareLf_HeaderLengthCountsLf()
    {
        var m = Msg.Parse("Subject: x\n\nbody\n");
        Assert.Equal(12, m.HeaderLength);
        Assert.Equal("body\n", Encoding.ASCII.GetString(m.Body.RawBody.Span));
    }

    [Fact]
    public void TryParse_Utf8HeaderValue_DecodedAsUtf8()
    {
        var m = Msg.Parse("Subject: Grüße aus Köln\r\nFrom: Jürgen <jürgen@bücher.example>\r\n\r\n");
        Assert.Equal("Grüße aus Köln", m.Subject);
        Assert.Equal("Jürgen", m.From[0].Name);
        Assert.Equal("jürgen@bücher.example", m.From[0].Address);
    }

    [Fact]
    public void TryParse_Latin1HeaderBytes_DecodedAsWindows1252()
    {
        var bytes = Encoding.Latin1.GetBytes("Subject: caf\u00e9\r\n\r\n");
        Assert.Equal("café", Msg.Parse(bytes).Subject);
    }

    [Fact]
    public void TryParse_DuplicateFields_FirstWinsAndAllKept()
    {
        var m = Msg.Parse("Subject: one\r\nSubject: two\r\nReceived: a\r\nReceived: b\r\n\r\n");
        Assert.Equal("one", m.Subject);
        Assert.Equal(2, m.Headers.GetAll("subject").Count);
        Assert.Equal(["a", "b"], m.Headers.GetAll("Received").Select(h => h.Value));
        Assert.Equal(4, m.Headers.Count);
        Assert.Equal("Received", m.Headers[2].Name);
    }

    [Fact]
    public void TryParse_MissingFields_AreNull()
    {
        var m = Msg.Parse("X-Only: 1\r\n\r\nbody");
        Assert.Null(m.Subject);
        Assert.Null(m.Date);
        Assert.Null(m.MessageId);
        Assert.Empty(m.From);
        Assert.Null(m.Headers["Subject"]);
    }

    [Fact]
    public void TryParse_SpaceBeforeColon_Accepted()
    {
        var m = Msg.Parse("Subject : obsolete\r\n\r\n");
        Assert.Equal("obsolete", m.Subject);
    }

    [Fact]
    public void TryParse_NoBlankLine_BodyStartsAtFirstNonField()
    {
        var m = Msg.Parse("Subject: x\nthis is body\n");
        Assert.Equal("x", m.Subject);
        Assert.Equal("this is body\n", Encoding.ASCII.GetString(m.Body.RawBody.Span));
    }

    [Fact]
    public void TryParse_NoBlankLine_StrictIsMalformed()
    {
        Assert.Equal(MimeError.Malformed, Msg.Error("Subject: x\nthis is body\n", new ParserOptions { Strict = true }));
    }

    [Fact]
    public void TryParse_HeadersOnly_EmptyBody()
    {
        var m = Msg.Parse("Subject: x");
        Assert.Equal("x", m.Subject);
        Assert.Equal(0, m.Body.BodyLength);
    }

    [Fact]
    public void TryParse_MboxFromLine_Skipped()
    {
        var m = Msg.Parse("From someone@example.com Mon Jan  1 00:00:00 2024\nSubject: x\n\nbody");
        Assert.Equal("x", m.Subject);
        Assert.Single(m.Headers);
    }

    [Fact]
    public void TryParse_Empty_ReturnsEmpty()
    {
        Assert.Equal(MimeError.Empty, MimeMessage.TryParse(ReadOnlyMemory<byte>.Empty, ParserOptions.Default, out var m));
        Assert.Null(m);
    }

    [Fact]
    public void TryParse_MessageIdAndThreading_KeepBrackets()
    {
        var m = Msg.Parse("Message-ID:\r\n <a.1@b.example>\r\nIn-Reply-To: <p@q> (comment)\r\nReferences: <x@y>\r\n  <p@q>\r\n\r\n");
        Assert.Equal("<a.1@b.example>", m.MessageId);
        Assert.Equal("<p@q>", m.InReplyTo);
        Assert.Equal(["<x@y>", "<p@q>"], m.References);
    }

    [Fact]
    public void Header_RawValue_IsUntouched()
    {
        var m = Msg.Parse("Subject: =?utf-8?q?x?=\r\n y\r\n\r\n");
        var h = m.Headers.GetFirst("SUBJECT")!;
        Assert.Equal(" =?utf-8?q?x?=\r\n y", Encoding.ASCII.GetString(h.RawValue.Span));
        Assert.Equal("=?utf-8?q?x?= y", h.Value);
        Assert.Equal("x y", h.DecodedValue);
        Assert.Equal(0, h.Offset);
    }

    [Fact]
    public void TryParse_ByteOrderMarkBeforeFirstHeader_HeaderKept()
    {
        var data = Msg.Data("bom-before-first-header.eml");
        var m = Msg.Parse(data);
        Assert.Equal("Ann", Assert.Single(m.From).Name);
        Assert.Equal("saved by an editor that writes a byte-order mark", m.Subject);
        Assert.Equal("utf-8", m.Body.ContentType.Charset);
        Assert.Equal(4, m.Headers.Count);

        // Offsets stay positions in the input: the first field starts after the three BOM bytes.
        Assert.Equal(3, m.Headers[0].Offset);
        Assert.Equal(3, m.Body.Offset);
        Assert.StartsWith("From: Ann", Encoding.UTF8.GetString(m.RawMessage.Span), StringComparison.Ordinal);
        Assert.Equal("Body after a header that starts with EF BB BF.\r\n", m.GetText());
    }

    [Fact]
    public void TryParse_LineWithoutColonAmongFields_SkippedAndLaterFieldsKept()
    {
        var m = Msg.Parse(Msg.Data("header-line-without-colon-before-content-type.eml"));
        Assert.True(m.Body.ContentType.IsMimeType("text", "html"));
        Assert.Equal("quoted-printable", m.Body.ContentTransferEncoding);
        Assert.Equal(["From", "Subject", "X-Mailer", "Content-Type", "Content-Transfer-Encoding"], m.Headers.Select(h => h.Name));
        Assert.Equal("<p>Grüße</p>\r\n", m.Body.GetText());
        Assert.Equal("Grüße", m.GetText());
        Assert.Equal(MimeError.Malformed, MimeMessage.TryParse(Msg.Data("header-line-without-colon-before-content-type.eml"), new ParserOptions { Strict = true }, out _));
    }

    [Fact]
    public void TryParse_LineWithoutColonAndNoBlankLineAfter_BodyStartsAtThatLine()
    {
        // No blank line follows, so the line was the body's first after all; the field after it is body text.
        var m = Msg.Parse("Subject: x\r\nContent-Type: text/html\r\nHello Bob,\r\nContent-Type: text/csv\r\nX-Not-A-Field: body text\r\n");
        Assert.Equal("x", m.Subject);
        Assert.Equal(2, m.Headers.Count);
        Assert.True(m.Body.ContentType.IsMimeType("text", "html"));
        Assert.Equal("Hello Bob,\r\nContent-Type: text/csv\r\nX-Not-A-Field: body text\r\n", Encoding.ASCII.GetString(m.Body.RawBody.Span));
    }

    [Fact]
    public void TryParse_LineWithoutColonThenHeaderLimitReached_BodyStartsAtThatLine()
    {
        // Past the line, the block never ends within MaxHeaderBlockBytes: read as a body without blank line, not rejected.
        var text = "Subject: x\r\nHello Bob,\r\n" + string.Concat(Enumerable.Repeat("A: b\r\n", 40)) + "\r\nend";
        var m = Msg.Parse(text, new ParserOptions { MaxHeaderBlockBytes = 100 });
        Assert.Single(m.Headers);
        Assert.StartsWith("Hello Bob,\r\nA: b", Encoding.ASCII.GetString(m.Body.RawBody.Span), StringComparison.Ordinal);
        Assert.Equal(MimeError.HeaderBlockTooLarge, Msg.Error("Subject: x\r\n" + string.Concat(Enumerable.Repeat("A: b\r\n", 40)) + "\r\nend", new ParserOptions { MaxHeaderBlockBytes = 100 }));
    }

    [Fact]
    public void TryParse_MessageIdWithSpacesInsideBrackets_SpacesDropped()
    {
        var m = Msg.Parse(Msg.Data("message-id-spaces-inside-brackets.eml"));
        Assert.Equal("<123@ebony>", m.MessageId);
        Assert.Equal("<122@ebony>", m.InReplyTo);
        Assert.Equal(["<120@ebony>", "<121@ebony>", "<122@ebony>"], m.References);
    }
}
