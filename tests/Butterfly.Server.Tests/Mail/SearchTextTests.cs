using System.Text;
using Butterfly.Mime;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Tests.Mail;

/// <summary>SearchText's shortcut for a message of one text/plain part gives what the general extractor gives.</summary>
public sealed class SearchTextTests
{
    [Theory]
    [InlineData("Content-Type: text/plain; charset=us-ascii\r\n\r\nPlain words here.\r\n")]
    [InlineData("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nCafé été\r\n")]
    [InlineData("Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9 =\r\nsoon\r\n")]
    [InlineData("Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n\r\nSGVsbG8gd29ybGQ=\r\n")]
    [InlineData("\r\nNo content type at all.\r\n")]
    [InlineData("Content-Type: text/html\r\n\r\n<p>Not <b>plain</b></p>\r\n")]
    [InlineData("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=x.pdf\r\n\r\n%PDF\r\n--b--\r\n")]
    public void Extract_AnyShape_SameAsTheGeneralExtractor(string rest)
    {
        var raw = Encoding.UTF8.GetBytes("From: a@example.org\r\nTo: b@example.org\r\nSubject: s\r\nIn-Reply-To: <p@example.org>\r\n" + rest);
        Assert.Equal(MimeError.None, MimeMessage.TryParse(raw, ParserOptions.Default, out var message));

        var text = SearchText.Extract(message!);

        Assert.Equal(TextExtractor.GetText(message!, SearchText.MaxBodyChars), text.Body);
        Assert.Equal(TextExtractor.GetAttachments(message!).Select(a => a.FileName ?? string.Empty), text.AttachmentNames);
        Assert.Equal(message!.InReplyTo, text.InReplyTo);
    }

    [Fact]
    public void Extract_BodyOverTheBound_Cut()
    {
        var raw = Encoding.ASCII.GetBytes("Subject: long\r\nContent-Type: text/plain\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('w', 70) + "\r\n", (SearchText.MaxBodyChars / 72) + 10)));
        Assert.Equal(MimeError.None, MimeMessage.TryParse(raw, ParserOptions.Default, out var message));

        var text = SearchText.Extract(message!);

        Assert.Equal(SearchText.MaxBodyChars, text.Body.Length);
        Assert.Equal(TextExtractor.GetText(message!, SearchText.MaxBodyChars), text.Body);
    }
}
