using System.Text;
using Butterfly.Cli.Rendering;
using Xunit;

namespace Butterfly.Cli.Tests;

public sealed class MessageRendererTests
{
    [Fact]
    public void Render_FoldedHeaders_UnfoldedAndFiltered()
    {
        var raw = Encoding.UTF8.GetBytes(
            "Received: from x\r\n\tby y\r\nFrom: Bob <bob@example.org>\r\nTo: a@example.org,\r\n b@example.org\r\n"
            + "Subject: Lunch?\r\nDate: Sat, 21 Nov 2026 12:00:00 +0000\r\nX-Other: no\r\n\r\nAt noon?\r\n");

        var text = MessageRenderer.Render(raw);

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
        var rendered = MessageRenderer.Render(raw);

        var attachment = Assert.Single(decoded.Attachments);
        Assert.Equal("report.pdf", attachment.FileName);
        Assert.Equal("application/pdf", attachment.MediaType);
        Assert.Equal(11, attachment.Size);
        Assert.Contains("See attached.", decoded.Text, StringComparison.Ordinal);
        Assert.Contains("Attachment: report.pdf (application/pdf, 11 bytes)", rendered, StringComparison.Ordinal);
    }
}
