using Butterfly.Scripting.Tests.Support;

namespace Butterfly.Scripting.Tests;

public class MessageTests
{
    private const string Multipart = """
        From: "Alice Example" <alice@example.net>
        To: list@example.org, Bob <bob@example.org>
        Cc: carol@example.org
        Reply-To: replies@example.net
        Subject: =?utf-8?q?Caf=C3=A9?= news
        Date: Mon, 02 Mar 2026 10:30:00 +0100
        Message-ID: <abc@example.net>
        References: <r1@example.net> <r2@example.net>
        X-Tag: one
        X-Tag: two
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="b1"

        --b1
        Content-Type: multipart/alternative; boundary="b2"

        --b2
        Content-Type: text/plain; charset=utf-8

        Plain body.
        --b2
        Content-Type: text/html; charset=utf-8

        <html><head><style>p {}</style></head><body><p>Rich &amp; <b>bold</b></p><p>second</p></body></html>
        --b2--
        --b1
        Content-Type: application/pdf; name="report.pdf"
        Content-Disposition: attachment; filename="report.pdf"
        Content-Transfer-Encoding: base64

        AAECAwQFBgcICQ==
        --b1--
        """;

    private static ScriptRunResult Log(string expression, ScriptMessage message) =>
        Scripts.Succeeded(Scripts.OnMessage($"function onMessage(message, ctx) {{ ctx.log(JSON.stringify({expression})); }}", message));

    private static string Value(string expression, ScriptMessage? message = null) =>
        Assert.Single(Log(expression, message ?? Scripts.Raw(Multipart, "bounce@example.net", "list@example.org", "x@example.org")).Log);

    [Theory]
    [InlineData("message.from", "\"alice@example.net\"")]
    [InlineData("message.fromName", "\"Alice Example\"")]
    [InlineData("message.to", "[\"list@example.org\",\"bob@example.org\"]")]
    [InlineData("message.cc", "[\"carol@example.org\"]")]
    [InlineData("message.replyTo", "[\"replies@example.net\"]")]
    [InlineData("message.subject", "\"Café news\"")]
    [InlineData("message.date", "\"2026-03-02T09:30:00.000Z\"")]
    [InlineData("message.messageId", "\"abc@example.net\"")]
    [InlineData("message.references", "[\"r1@example.net\",\"r2@example.net\"]")]
    [InlineData("message.text", "\"Plain body.\"")]
    [InlineData("message.html", "\"Rich & bold\\nsecond\"")]
    [InlineData("message.attachments", "[{\"name\":\"report.pdf\",\"type\":\"application/pdf\",\"size\":10}]")]
    [InlineData("message.header('x-tag')", "\"one\"")]
    [InlineData("message.headers('X-Tag')", "[\"one\",\"two\"]")]
    [InlineData("message.header('X-Missing')", "null")]
    [InlineData("message.headers('X-Missing')", "[]")]
    [InlineData("message.envelope", "{\"from\":\"bounce@example.net\",\"to\":[\"list@example.org\",\"x@example.org\"]}")]
    public void Field_HasTheMessagesValue(string expression, string expected)
    {
        Assert.Equal(expected, Value(expression));
    }

    [Fact]
    public void Size_IsTheRawLength()
    {
        var raw = Multipart.ReplaceLineEndings("\r\n");

        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(raw).ToString(System.Globalization.CultureInfo.InvariantCulture), Value("message.size"));
    }

    [Fact]
    public void HtmlOnlyMessage_TextIsTheHtmlAsText()
    {
        var message = Scripts.Raw("""
            From: a@example.net
            Subject: html
            Content-Type: text/html

            <div>Hello<br>world<script>alert(1)</script></div>
            """);

        Assert.Equal("[\"Hello\\nworld\",\"Hello\\nworld\"]", Value("[message.text, message.html]", message));
    }

    [Fact]
    public void BareMessage_MissingFieldsAreEmptyOrNull()
    {
        var message = Scripts.Raw("X-Only: header\n\nbody\n", "");

        Assert.Equal(
            "{\"from\":\"\",\"fromName\":null,\"to\":[],\"subject\":\"\",\"date\":null,\"messageId\":null,\"html\":null,\"text\":\"body\\n\",\"attachments\":[]}",
            Value("{ from: message.from, fromName: message.fromName, to: message.to, subject: message.subject, date: message.date, messageId: message.messageId, html: message.html, text: message.text, attachments: message.attachments }", message));
    }

    [Fact]
    public void Read_FromStreamSpanAndArray_Agree()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(Multipart.ReplaceLineEndings("\r\n"));

        var fromSpan = ScriptMessage.Read(bytes.AsSpan(), "s@x.org", ["r@x.org"]);
        var fromArray = ScriptMessage.Read(bytes, "s@x.org", ["r@x.org"]);
        using var stream = new MemoryStream(bytes);
        var fromStream = ScriptMessage.Read(stream, "s@x.org", ["r@x.org"]);

        Assert.Equal(bytes.Length, fromSpan.Size);
        Assert.Equal(fromSpan.Size, fromStream.Size);
        Assert.Equal(fromSpan.Size, fromArray.Size);
        Assert.Equal(fromSpan.Subject, fromStream.Subject);
        Assert.Equal(fromSpan.Headers, fromStream.Headers);
        Assert.Equal(fromSpan.Headers, fromArray.Headers);
        Assert.Equal(fromSpan.Text, fromArray.Text);
    }

    [Fact]
    public void FieldsMadeOnFirstRead_AreOrdinaryDataProperties()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage("""
            function onMessage(message, ctx) {
              const d = Object.getOwnPropertyDescriptor(message, "text");
              ctx.log(Object.keys(message).join(","));
              ctx.log(JSON.stringify([d.value, d.writable, d.enumerable, d.configurable, typeof d.get]));
              message.text = "changed";
              message.to.push("more@example.org");
              ctx.log(message.text, message.to.join(","));
            }
            """));

        Assert.Equal(
            [
                "from,fromName,to,cc,replyTo,subject,date,messageId,references,text,html,size,attachments,envelope,header,headers",
                "[\"Hi there.\\n\",true,true,true,\"undefined\"]",
                "changed list@example.org,more@example.org",
            ],
            result.Log);
    }

    [Fact]
    public async Task OneMessage_ReadByRunsOnManyThreads_GivesEachTheSameFields()
    {
        var message = Scripts.Raw(Multipart, "bounce@example.net", "list@example.org");
        var script = Scripts.Compile("function onMessage(message, ctx) { ctx.log(JSON.stringify([message.text, message.html, message.attachments, message.headers('x-tag')])); }");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Scripts.Runner.RunMessageAsync(script, message, Scripts.Context(), ScriptLimits.Default, CancellationToken.None)));

        Assert.All(results, result => Assert.Equal(
            "[\"Plain body.\",\"Rich & bold\\nsecond\",[{\"name\":\"report.pdf\",\"type\":\"application/pdf\",\"size\":10}],[\"one\",\"two\"]]",
            Assert.Single(Scripts.Succeeded(result).Log)));
    }
}
