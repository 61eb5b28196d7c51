using System.Text;

namespace Butterfly.Mime.Tests;

public class MimeStructureTests
{
    private static string Raw(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    [Fact]
    public void Alternative_QuotedPrintableUtf8_DecodedAndPlainPreferred()
    {
        var m = Msg.Parse(Msg.Data("multipart-alternative-qp-utf8.eml"));
        Assert.True(m.Body.ContentType.IsMimeType("multipart", "alternative"));
        Assert.Equal(2, m.Body.Children.Count);
        Assert.Equal("Grüße, this line is soft broken.", m.Body.Children[0].GetText());
        Assert.Equal("Grüße, this line is soft broken.", m.GetText());
        Assert.False(m.Body.MissingCloseDelimiter);
        Assert.Empty(m.GetAttachments());
    }

    [Fact]
    public void Offsets_PointAtTheRawBytes()
    {
        var data = Msg.Data("multipart-alternative-qp-utf8.eml");
        var m = Msg.Parse(data);
        var html = m.Body.Children[1];
        var raw = Encoding.UTF8.GetString(data, html.Offset, html.Length);
        Assert.StartsWith("Content-Type: text/html", raw, StringComparison.Ordinal);
        Assert.EndsWith("</html>", raw, StringComparison.Ordinal);
        Assert.Equal(raw, Raw(html.RawEntity));
        Assert.Equal(html.Offset + html.HeaderLength, html.BodyOffset);
        Assert.Equal("<html><body><p>Gr=C3=BC=C3=9Fe</p></body></html>", Raw(html.RawBody));
        Assert.Equal(data.Length, m.Body.Length);
        Assert.Equal(0, m.Body.Offset);
    }

    [Fact]
    public void MissingCloseDelimiter_PartsRecoveredToTheEnd()
    {
        var m = Msg.Parse(Msg.Data("multipart-missing-close-delimiter.eml"));
        Assert.True(m.Body.MissingCloseDelimiter);
        Assert.Equal(2, m.Body.Children.Count);
        Assert.Equal("first", m.Body.Children[0].GetText());
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, m.Body.Children[1].GetContent());
        Assert.Equal(MimeError.Malformed, MimeMessage.TryParse(Msg.Data("multipart-missing-close-delimiter.eml"), new ParserOptions { Strict = true }, out _));
    }

    [Fact]
    public void BoundaryPrefixLines_InnermostBoundaryWinsAndTrailingTextAllowed()
    {
        var m = Msg.Parse(Msg.Data("multipart-boundary-prefix-lines.eml"));
        var root = m.Body;
        Assert.Equal(2, root.Children.Count);
        Assert.Equal("preamble line", Raw(root.Preamble));
        var inner = root.Children[0];
        Assert.True(inner.ContentType.IsMimeType("multipart", "alternative"));
        Assert.Equal(2, inner.Children.Count);
        Assert.Equal("inner one\r\n---abc is not a delimiter (three dashes)\r\n --abc is not one either (leading space)", inner.Children[0].GetText());
        Assert.Equal("second outer part", root.Children[1].GetText());
        Assert.Equal("epilogue\r\n", Raw(root.Epilogue));
    }

    [Fact]
    public void BrokenBoundaryParameter_UnquotedSpecialsAndTrailingWhiteSpace()
    {
        var m = Msg.Parse(Msg.Data("multipart-broken-boundary-parameter.eml"));
        Assert.Equal("----=_Part_0_12.34", m.Body.ContentType.Boundary);
        Assert.Equal(["first part", "second part"], m.Body.Children.Select(c => c.GetText()));
        Assert.False(m.Body.MissingCloseDelimiter);
        Assert.Equal("--\t", Raw(m.Body.Preamble));
    }

    [Fact]
    public void PreambleAndEpilogue_Kept()
    {
        var m = Msg.Parse(Msg.Data("multipart-preamble-epilogue.eml"));
        Assert.Equal("This is the preamble.", Raw(m.Body.Preamble));
        Assert.Equal("This is the epilogue.\r\n", Raw(m.Body.Epilogue));
        var part = Assert.Single(m.Body.Children);
        Assert.Empty(part.Headers);
        Assert.Equal("part one has no headers", part.GetText());
    }

    [Fact]
    public void EmptyParts_AndPartsWithoutBlankLine()
    {
        // The first delimiter is followed by another: no part there (see ConsecutiveDelimiters_NoPhantomParts).
        var m = Msg.Parse(Msg.Data("multipart-empty-parts-and-no-headers.eml"));
        Assert.Equal(2, m.Body.Children.Count);
        Assert.Equal("text/plain", m.Body.Children[0].Headers["Content-Type"]);
        Assert.Equal(0, m.Body.Children[0].BodyLength);
        Assert.Equal("only body", m.Body.Children[1].GetText());
    }

    [Fact]
    public void NestedRfc822_ParsedAsMessage()
    {
        var data = Msg.Data("nested-message-rfc822.eml");
        var m = Msg.Parse(data);
        var attached = m.Body.Children[1];
        Assert.NotNull(attached.Message);
        var inner = attached.Message!;
        Assert.Equal("inner subjéct", inner.Subject);
        Assert.Equal("inner@example.org", inner.From[0].Address);
        Assert.Equal("inner text", inner.GetText());
        Assert.Equal(attached.BodyOffset, inner.Body.Offset);
        Assert.StartsWith("From: inner@example.org", Raw(inner.RawMessage), StringComparison.Ordinal);
        Assert.EndsWith("--inner--", Raw(inner.RawMessage), StringComparison.Ordinal);
        Assert.Equal("See the forwarded message.", m.GetText());
        var att = Assert.Single(m.GetAttachments());
        Assert.Equal("message/rfc822", att.MediaType);
    }

    [Fact]
    public void Digest_ChildrenDefaultToRfc822()
    {
        var m = Msg.Parse(Msg.Data("multipart-digest-default-rfc822.eml"));
        Assert.Equal(2, m.Body.Children.Count);
        Assert.Equal("one", m.Body.Children[0].Message!.Subject);
        Assert.Equal("second", m.Body.Children[1].Message!.GetText());
    }

    [Fact]
    public void EightBitLatin1Headers_Decoded()
    {
        var m = Msg.Parse(Msg.Data("header-8bit-latin1.eml"));
        Assert.Equal("déjà vu", m.Subject);
        Assert.Equal("René", m.From[0].Name);
    }

    [Fact]
    public void Base64_BrokenGarbageAndMissingPadding_Lenient()
    {
        var m = Msg.Parse(Msg.Data("base64-broken-garbage-and-missing-padding.eml"));
        Assert.Equal("base64", m.Body.ContentTransferEncoding);
        Assert.Equal("Hello, world!", Encoding.ASCII.GetString(m.Body.GetContent()));
        Assert.Equal(13, m.Body.GetContentLength());
    }

    [Fact]
    public void QuotedPrintable_BrokenEscapes_Lenient()
    {
        var m = Msg.Parse(Msg.Data("quoted-printable-broken-escapes.eml"));
        Assert.Equal("café =ZZ is kept, 100%, soft break, trailing ", m.GetText());
    }

    [Fact]
    public void Rfc2231_ContinuationsAndCharsets_Joined()
    {
        var m = Msg.Parse(Msg.Data("rfc2231-continuations-charset.eml"));
        var pdf = m.Body.Children[0];
        Assert.Equal("日本語.pdf", pdf.ContentType.Name);
        Assert.Equal("résumé.pdf", pdf.FileName);
        Assert.Equal("éléphant.png", m.Body.Children[1].FileName);
        var atts = m.GetAttachments();
        Assert.Equal(["résumé.pdf", "éléphant.png"], atts.Select(a => a.FileName));
        Assert.Equal([5L, 8L], atts.Select(a => a.Size));
    }

    [Fact]
    public void CharsetBodies_EveryEncodingDecoded()
    {
        var m = Msg.Parse(Msg.Data("charset-bodies-every-encoding.eml"));
        var texts = m.Body.Children.Select(c => c.GetText()).ToArray();
        Assert.Equal(["Déjà vu", "Привет мир", "Привет мир", "こんにちは", "日本語", "emoji 😀", "undeclared ütf-8"], texts);
        Assert.Equal(["8bit", "base64", "quoted-printable", "7bit", "base64", "binary", "8bit"], m.Body.Children.Select(c => c.ContentTransferEncoding));
    }

    [Fact]
    public void AddressLists_Malformed_RecoveredAsFarAsPossible()
    {
        var m = Msg.Parse(Msg.Data("address-lists-malformed.eml"));
        Assert.Equal(
            ["john@example.org", "q@example.org", "g1@example.org", "g2@example.org", "zoe@example.org"],
            m.To.Select(a => a.Address));
        Assert.Equal("Doe, John", m.To[0].Name);
        Assert.Equal("Quoted \"Name\"", m.To[1].Name);
        Assert.Equal("Zöe", m.To[4].Name);
        Assert.Empty(m.Cc);
        Assert.Equal(["no-at-sign", "ok@example.org"], m.ReplyTo.Select(a => a.Address));
        Assert.Single(m.From);
    }

    [Fact]
    public void Date_ObsoleteZoneTwoDigitYear()
    {
        var m = Msg.Parse(Msg.Data("date-obsolete-zone-two-digit-year.eml"));
        Assert.Equal(new DateTimeOffset(1994, 11, 15, 8, 12, 31, TimeSpan.FromHours(-5)), m.Date);
    }

    [Fact]
    public void DepthBomb_RejectedWithTooDeep()
    {
        Assert.Equal(MimeError.TooDeep, MimeMessage.TryParse(Msg.Data("depth-bomb-150-levels.eml"), ParserOptions.Default, out var m));
        Assert.Null(m);
        Assert.Equal(MimeError.None, MimeMessage.TryParse(Msg.Data("depth-bomb-150-levels.eml"), new ParserOptions { MaxDepth = 200 }, out m));
        var e = m!.Body;
        int depth = 0;
        while (e.Children.Count > 0)
        {
            e = e.Children[0];
            depth++;
        }

        Assert.Equal(150, depth);
        Assert.Equal("leaf", m.GetText());
    }

    [Fact]
    public void PartCountBomb_RejectedWithTooManyParts()
    {
        Assert.Equal(MimeError.TooManyParts, MimeMessage.TryParse(Msg.Data("part-count-bomb-10001-parts.eml"), ParserOptions.Default, out _));
        var m = Msg.Parse(Msg.Data("part-count-bomb-10001-parts.eml"), new ParserOptions { MaxParts = 10_002 });
        Assert.Equal(10_001, m.Body.Children.Count);
    }

    [Fact]
    public void TryParse_FromStream_SameAsMemory()
    {
        var data = Msg.Data("nested-message-rfc822.eml");
        using var stream = new MemoryStream(data);
        Assert.Equal(MimeError.None, MimeMessage.TryParse(stream, ParserOptions.Default, out var m));
        Assert.Equal("forwarded", m!.Subject);
        Assert.Equal(2, m.Body.Children.Count);
    }

    [Fact]
    public void EveryCorpusFile_ParsesInEverySplit()
    {
        // The parser must not depend on where the buffer ends: parse every prefix of a few files.
        foreach (var name in new[] { "multipart-boundary-prefix-lines.eml", "nested-message-rfc822.eml", "rfc2231-continuations-charset.eml" })
        {
            var data = Msg.Data(name);
            for (int i = 0; i <= data.Length; i++)
            {
                var error = MimeMessage.ParseCore(data.AsMemory(0, i), ParserOptions.Default, out var m);
                Assert.True(i == 0 ? error == MimeError.Empty : error == MimeError.None, name + " at " + i);
                if (m is not null)
                {
                    MimeFuzz.Exercise(m);
                }
            }
        }
    }

    [Fact]
    public void MessageRfc822_StartingWithFromLine_ParsedAsMessage()
    {
        var data = Msg.Data("message-rfc822-starting-with-from-line.eml");
        var m = Msg.Parse(data);
        var attached = m.Body.Children[1];
        var inner = Assert.IsType<MimeMessage>(attached.Message);
        Assert.Equal("the inner message", inner.Subject);
        Assert.Equal("bob@example.org", Assert.Single(inner.From).Address);
        Assert.Equal(["From", "Subject", "Content-Type"], inner.Headers.Select(h => h.Name));
        Assert.Equal("inner text", inner.GetText());

        // The inner message starts after the "From " line; the part's body still holds it.
        Assert.StartsWith("From: bob@example.org", Raw(inner.RawMessage), StringComparison.Ordinal);
        Assert.StartsWith("From bob@example.org Mon", Raw(attached.RawBody), StringComparison.Ordinal);
    }

    [Fact]
    public void ConsecutiveDelimiters_NoPhantomParts()
    {
        var m = Msg.Parse(Msg.Data("multipart-consecutive-delimiters.eml"));

        // A delimiter followed by a blank line is a real (empty) part; one followed by a delimiter is not.
        Assert.Equal(["first", string.Empty, "second"], m.Body.Children.Select(c => c.GetText()));
        Assert.Equal([1, 0, 1], m.Body.Children.Select(c => c.Headers.Count));
        Assert.False(m.Body.MissingCloseDelimiter);
        Assert.Equal("first\nsecond", m.GetText());
    }

    [Fact]
    public void ConsecutiveDelimiters_EnclosingDelimiterRightAfter_NoPhantomPart()
    {
        var m = Msg.Parse("Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n--i\r\n--o\r\n\r\nlast\r\n--o--\r\n");
        var inner = m.Body.Children[0];
        Assert.Empty(inner.Children);
        Assert.True(inner.MissingCloseDelimiter);
        Assert.Equal("last", m.Body.Children[1].GetText());
    }

    [Theory]
    [InlineData("--b\r\nContent-Type: text/plain\r\n--b--\r\n", "Content-Type: text/plain")]
    [InlineData("--b\r\nContent-Type: text/plain\r\n\r\n--b--\r\n", "Content-Type: text/plain\r\n")]
    [InlineData("--b\r\n\r\n--b--\r\n", "")]
    public void EmptyPart_DelimiterRightAfterHeaders_LineBreakIsTheDelimiters(string body, string entity)
    {
        var m = Msg.Parse("Content-Type: multipart/mixed; boundary=b\r\n\r\n" + body);
        var part = Assert.Single(m.Body.Children);
        Assert.Equal(entity, Raw(part.RawEntity));
        Assert.Equal(0, part.BodyLength);
        Assert.Equal(part.Offset + part.Length, part.BodyOffset);
    }
}
