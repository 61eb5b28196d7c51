using System.Text;
using Butterfly.Cli.Rendering;
using Xunit;

namespace Butterfly.Cli.Tests.Rendering;

public sealed class MessageRendererTests
{
    [Fact]
    public void Render_FoldedHeaders_UnfoldedAndFiltered()
    {
        var raw = Encoding.UTF8.GetBytes(
            "Received: from x\r\n\tby y\r\nFrom: Bob <bob@example.org>\r\nTo: a@example.org,\r\n b@example.org\r\n"
            + "Subject: Lunch?\r\nDate: Sat, 21 Nov 2026 12:00:00 +0000\r\nX-Other: no\r\n\r\nAt noon?\r\n");

        var text = MessageRenderer.Render(MessageRenderer.Decode(raw));

        Assert.Equal(
            "From: Bob <bob@example.org>\nTo: a@example.org, b@example.org\nSubject: Lunch?\nDate: Sat, 21 Nov 2026 12:00:00 +0000\n\nAt noon?\n",
            text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Decode_EncodedWordsAndQuotedPrintable_AreDecoded()
    {
        var raw = Encoding.ASCII.GetBytes(
            "From: =?utf-8?Q?Ren=C3=A9?= <rene@example.org>\r\nTo: a@example.org\r\nSubject: =?utf-8?B?Q2Fmw6kg4piV?=\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Noon at the caf=C3=A9?\r\n");

        var decoded = MessageRenderer.Decode(raw);

        Assert.Contains(("Subject", "Café ☕"), decoded.Fields);
        Assert.Contains(decoded.Fields, f => f.Name == "From" && f.Value.Contains("René", StringComparison.Ordinal));
        Assert.Contains("Noon at the café?", decoded.Text, StringComparison.Ordinal);
        Assert.Empty(decoded.Attachments);
    }

    [Fact]
    public void Decode_MultipartWithAttachment_ListsNameTypeAndDecodedSize()
    {
        var raw = Encoding.ASCII.GetBytes(
            "From: a@example.org\r\nTo: b@example.org\r\nSubject: report\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            + "--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
            + "--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"report.pdf\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nSGVsbG8sIFBERiE=\r\n--b1--\r\n");

        var decoded = MessageRenderer.Decode(raw);
        var rendered = MessageRenderer.Render(decoded);

        var attachment = Assert.Single(decoded.Attachments);
        Assert.Equal("report.pdf", attachment.FileName);
        Assert.Equal("application/pdf", attachment.MediaType);
        Assert.Equal(11, attachment.Size);
        Assert.Contains("See attached.", decoded.Text, StringComparison.Ordinal);
        Assert.Contains("Attachment: report.pdf (application/pdf, 11 bytes)", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_AlternativeWithPlain_ShowsPlainAndListsNothing()
    {
        var raw = Encoding.ASCII.GetBytes(
            "From: a@example.org\r\nSubject: alt\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n"
            + "--a\r\nContent-Type: text/plain\r\n\r\nplain words\r\n"
            + "--a\r\nContent-Type: text/html\r\n\r\n<p>html words</p>\r\n--a--\r\n");

        var decoded = MessageRenderer.Decode(raw);

        Assert.Equal("plain words", decoded.Text.TrimEnd());
        Assert.Empty(decoded.Attachments);
    }

    [Fact]
    public void Decode_RelatedHtmlWithInlineImage_TextFromHtmlImageListed()
    {
        var raw = Encoding.ASCII.GetBytes(
            "From: a@example.org\r\nSubject: rel\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"r\"; type=\"text/html\"\r\n\r\n"
            + "--r\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n<div>Look:</div><img src=\"cid:logo\"><ul><li>one</li><li>two &amp; three</li></ul>\r\n"
            + "--r\r\nContent-Type: image/gif\r\nContent-ID: <logo>\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlh\r\n--r--\r\n");

        var decoded = MessageRenderer.Decode(raw);

        Assert.Equal("Look:\n- one\n- two & three\n", decoded.Text);
        var image = Assert.Single(decoded.Attachments);
        Assert.Null(image.FileName);
        Assert.Equal("image/gif", image.MediaType);
        Assert.Equal(6, image.Size);
    }

    [Fact]
    public void Decode_FlowedText_Unwrapped()
    {
        var raw = Encoding.ASCII.GetBytes(
            "From: a@example.org\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; format=flowed\r\n\r\n"
            + "This line is long and was \r\nwrapped by the sender.\r\n");

        var decoded = MessageRenderer.Decode(raw);

        Assert.Equal("This line is long and was wrapped by the sender.", decoded.Text.TrimEnd());
    }

    [Fact]
    public void Decode_ForwardedMessage_ListedAsAttachment()
    {
        var inner = "From: b@example.org\r\nSubject: inner\r\n\r\nforwarded body\r\n";
        var raw = Encoding.ASCII.GetBytes(
            "From: a@example.org\r\nSubject: fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n"
            + "--m\r\nContent-Type: text/plain\r\n\r\nsee below\r\n"
            + "--m\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "--m--\r\n");

        var decoded = MessageRenderer.Decode(raw);

        Assert.Equal("see below", decoded.Text.TrimEnd());
        var forwarded = Assert.Single(decoded.Attachments);
        Assert.Equal("message/rfc822", forwarded.MediaType);
        // The CRLF before the closing delimiter belongs to the delimiter (RFC 2046, 5.1.1).
        Assert.Equal(inner.Length - 2, forwarded.Size);
    }

    [Fact]
    public void Decode_NoHeaders_ShowsTheBody()
    {
        var decoded = MessageRenderer.Decode(Encoding.ASCII.GetBytes("\r\njust a body\r\n"));

        Assert.Empty(decoded.Fields);
        Assert.Equal("just a body", decoded.Text.Trim());
    }
}
