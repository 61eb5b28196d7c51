using System.Text;
using Butterfly.Cli.Rendering;
using Xunit;

namespace Butterfly.Client.Tests.Cli;

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
    public void Split_BareLineFeeds_Work()
    {
        var (fields, body) = MessageRenderer.Split(Encoding.UTF8.GetBytes("Subject: hi\nFrom: a@b.c\n\nbody\n"));

        Assert.Equal("hi", fields["Subject"]);
        Assert.Equal("body\n", body);
    }

    [Fact]
    public void Split_NoBody_AllHeader()
    {
        var (fields, body) = MessageRenderer.Split(Encoding.UTF8.GetBytes("Subject: only\r\n"));

        Assert.Equal("only", fields["Subject"]);
        Assert.Equal("", body);
    }
}
