namespace Butterfly.Mime.Tests;

public class TextExtractionTests
{
    [Fact]
    public void Html_ReducedToText()
    {
        var m = Msg.Parse("Content-Type: text/html; charset=utf-8\r\n\r\n<html><head><title>t</title><style>p{}</style></head><body><p>Hello&nbsp;<b>World</b> &amp; &#233;t&eacute;</p><script>x()</script><div>Line<br>two</div><!-- hidden --></body></html>");
        Assert.Equal("Hello World & été\nLine\ntwo", m.GetText());
    }

    [Fact]
    public void Alternative_HtmlOnlyWhenNoPlain()
    {
        var m = Msg.Parse("Content-Type: multipart/alternative; boundary=a\r\n\r\n--a\r\nContent-Type: text/html\r\n\r\n<p>only html</p>\r\n--a--\r\n");
        Assert.Equal("only html", m.GetText());
    }

    [Fact]
    public void Mixed_InlineTextPartsJoined_AttachmentsSkipped()
    {
        var m = Msg.Parse("Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n\r\nfirst\r\n--a\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=notes.txt\r\n\r\nsecret\r\n--a\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--a--\r\n");
        Assert.Equal("first\nsecond", m.GetText());
        var att = Assert.Single(m.GetAttachments());
        Assert.Equal("notes.txt", att.FileName);
        Assert.Equal("text/plain", att.MediaType);
        Assert.Equal(6, att.Size);
    }

    [Fact]
    public void MultipartWithoutBoundary_BodyIsText()
    {
        Assert.Equal("just text\r\n", Msg.Parse("Content-Type: multipart/mixed\r\n\r\njust text\r\n").GetText());
    }

    [Fact]
    public void Utf8LabelledUsAscii_DecodedAsUtf8()
    {
        var m = Msg.Parse("Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n\r\nnaïve café");
        Assert.Equal("naïve café", m.GetText());
    }

    [Fact]
    public void GetText_MaxLength_TruncatesAndSkipsLaterParts()
    {
        var m = Msg.Parse("Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n\r\nfirst part\r\n--a\r\n\r\nsecond\r\n--a--\r\n");
        Assert.Equal("first", m.GetText(5));
        Assert.Equal("first part", m.GetText(10));
        Assert.Equal("first part\nsecond", m.GetText(1000));
        Assert.Equal(string.Empty, m.GetText(0));
    }

    [Fact]
    public void NoBody_EmptyText()
    {
        Assert.Equal(string.Empty, Msg.Parse("Subject: x\r\n\r\n").GetText());
        Assert.Equal(string.Empty, Msg.Parse("Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBO").GetText());
    }

    [Fact]
    public void SinglePartImage_IsAnAttachment()
    {
        var m = Msg.Parse("Content-Type: image/png; name=a.png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n");
        var att = Assert.Single(m.GetAttachments());
        Assert.Equal("a.png", att.FileName);
        Assert.Equal(8, att.Size);
    }

    [Fact]
    public void Related_StartParameter_PicksTheRoot()
    {
        var m = Msg.Parse(Msg.Data("multipart-related-start-and-type.eml"));
        Assert.Equal("the root", m.GetText());
    }

    [Fact]
    public void Related_TypeParameterWithoutStart_PicksFirstPartOfThatType()
    {
        var m = Msg.Parse(Msg.Data("multipart-related-type-without-start.eml"));
        Assert.Equal("the root's plain text", m.GetText());
    }

    [Fact]
    public void Related_NoParameters_FirstPartIsTheRoot()
    {
        var m = Msg.Parse("Content-Type: multipart/related; boundary=r\r\n\r\n--r\r\nContent-Type: text/html\r\n\r\n<b>first</b>\r\n--r\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--r--\r\n");
        Assert.Equal("first", m.GetText());
    }
}
