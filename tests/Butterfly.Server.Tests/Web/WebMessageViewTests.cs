using System.Text;
using Butterfly.Server.Tests.Infrastructure;

namespace Butterfly.Server.Tests.Web;

/// <summary>
/// <c>message.view</c>, <c>message.part</c>, <c>send</c> with attachments and <c>draft.save</c> over /ws
/// (protocol/client.md): hostile HTML comes back with nothing that runs or loads, attachments round-trip byte for byte.
/// </summary>
public sealed class WebMessageViewTests(WebDaemon fixture) : IClassFixture<WebDaemon>
{
    private const string Password = "password-123";

    private const string HostileHtml = """
        <html><head>
        <meta http-equiv="refresh" content="0; url=https://evil.example/refresh">
        <base href="https://evil.example/base/">
        <link rel="stylesheet" href="https://evil.example/sheet.css">
        <style>@import url(https://evil.example/import.css); body { background: url(https://evil.example/style-bg.png); color: #333 } p.x { font-weight: bold }
        @font-face { font-family: x; src: url(https://evil.example/font.woff) }</style>
        <script>window.parent.pwned = 1;</script>
        </head><body>
        <p class="x" style="color: red; background-image: url('https://evil.example/inline-bg.png')" onclick="alert(1)">Hello <b>there</b></p>
        <img src="https://evil.example/pixel.gif" width="1" height="1">
        <img src="x" onerror="alert('onerror')">
        <img src="//evil.example/protocol-relative.gif">
        <div style="background: url(&quot;https://evil.example/entity-bg.png&quot;)">entity</div>
        <a href="JaVaScRiPt:alert('case')">case</a>
        <a href="data:text/html,<script>alert(1)</script>">data link</a>
        <img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">
        <a href="javascript:alert('link')">click</a>
        <a href="https://example.net/page">safe link</a>
        <form action="https://evil.example/steal" method="post"><input name="password"><button>Go</button></form>
        <svg><script>alert('svg')</script><circle r="5" onload="alert('svg-onload')"/></svg>
        <iframe src="https://evil.example/frame"></iframe>
        <object data="https://evil.example/obj"></object>
        <table><tr><td style="border: 1px solid black">cell</td></tr></table>
        </body></html>
        """;

    [Fact]
    public async Task View_HostileHtml_NothingRunsOrLoads()
    {
        await using var web = await NewUserAsync("view-hostile@example.org");
        var id = await StoreAsync(web, Mime(("text/html", HostileHtml)));

        var view = await web.RequestAsync(new { cmd = "message.view", folder = "Inbox", id });
        Assert.True(view.Ok, view.Head);
        var html = view.Json.GetProperty("html").GetString()!;

        Assert.StartsWith("<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">", html, StringComparison.Ordinal);
        foreach (var forbidden in new[]
        {
            "<script", "onerror", "onclick", "onload", "javascript:", "<form", "action=", "<input", "<button", "evil.example",
            "http-equiv=\"refresh\"", "<base", "<link", "<svg", "<iframe", "<object", "alert(", "data:text", "@import", "@font-face",
        })
        {
            Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
        }

        // What is harmless stays: formatting, tables, safe inline styles, data: images, http(s) links (opening outside).
        Assert.Contains("<b>there</b>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"x\" style=\"color: rgba(255, 0, 0, 1)\">Hello <b>there</b></p>", html, StringComparison.Ordinal);
        Assert.Contains("p.x { font-weight: bold }", html, StringComparison.Ordinal);
        Assert.Contains("<td style=\"border: 1px solid rgba(0, 0, 0, 1)\">cell</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img>", html, StringComparison.Ordinal);
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo=\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.net/page\"", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"noopener noreferrer\"", html, StringComparison.Ordinal);
        Assert.True(view.Json.GetProperty("remoteImages").GetInt32() >= 1);

        // No text part: the text is made from the HTML, without the script or the style sheet.
        var text = view.Json.GetProperty("text").GetString()!;
        Assert.Contains("Hello there", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pwned", text, StringComparison.Ordinal);
        Assert.DoesNotContain("font-weight", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task View_RemoteImagesAsked_KeptAndPolicyAllowsThem()
    {
        await using var web = await NewUserAsync("view-remote@example.org");
        var id = await StoreAsync(web, Mime(("text/html", "<p>pic <img src=\"https://images.example/cat.png\"></p><a href=\"javascript:x()\">x</a>")));

        var blocked = await web.RequestAsync(new { cmd = "message.view", folder = "Inbox", id });
        Assert.Equal(1, blocked.Json.GetProperty("remoteImages").GetInt32());
        Assert.DoesNotContain("images.example", blocked.Json.GetProperty("html").GetString()!, StringComparison.Ordinal);

        var shown = await web.RequestAsync(new { cmd = "message.view", folder = "Inbox", id, remoteImages = true });
        var html = shown.Json.GetProperty("html").GetString()!;
        Assert.Equal(0, shown.Json.GetProperty("remoteImages").GetInt32());
        Assert.Contains("src=\"https://images.example/cat.png\"", html, StringComparison.Ordinal);
        Assert.Contains("img-src data: https: http:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task View_TextAndHtmlWithCidImage_HeadTextAndInlinedImage()
    {
        await using var web = await NewUserAsync("view-cid@example.org");
        var raw = """
            From: "Bob, the Builder" <bob@example.net>
            To: view-cid@example.org, Carol <carol@example.org>
            Cc: dave@example.org
            Reply-To: replies@example.net
            Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=
            Date: Sat, 21 Nov 2026 12:00:00 +0000
            Message-ID: <m2@example.net>
            In-Reply-To: <m1@example.net>
            References: <m0@example.net> <m1@example.net>
            MIME-Version: 1.0
            Content-Type: multipart/related; boundary="rel"

            --rel
            Content-Type: multipart/alternative; boundary="alt"

            --alt
            Content-Type: text/plain; charset=utf-8

            Plain version.
            --alt
            Content-Type: text/html; charset=utf-8

            <p>Logo: <img src="cid:logo@example.net"></p>
            --alt--
            --rel
            Content-Type: image/png
            Content-ID: <logo@example.net>
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --rel--
            """.ReplaceLineEndings("\r\n");
        var id = await StoreAsync(web, Encoding.UTF8.GetBytes(raw));

        var view = await web.RequestAsync(new { cmd = "message.view", folder = "Inbox", id });
        var json = view.Json;
        Assert.Equal("\"Bob, the Builder\" <bob@example.net>", json.GetProperty("from")[0].GetString());
        Assert.Equal(["view-cid@example.org", "Carol <carol@example.org>"], json.GetProperty("to").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("dave@example.org", json.GetProperty("cc")[0].GetString());
        Assert.Equal("replies@example.net", json.GetProperty("replyTo")[0].GetString());
        Assert.Equal("Grüße", json.GetProperty("subject").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero), json.GetProperty("date").GetDateTimeOffset());
        Assert.Equal("<m2@example.net>", json.GetProperty("messageId").GetString());
        Assert.Equal("<m1@example.net>", json.GetProperty("inReplyTo").GetString());
        Assert.Equal(["<m0@example.net>", "<m1@example.net>"], json.GetProperty("references").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("Plain version.", json.GetProperty("text").GetString()!.Trim());
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo=\"", json.GetProperty("html").GetString()!, StringComparison.Ordinal);
        var attachment = Assert.Single(json.GetProperty("attachments").EnumerateArray());
        Assert.Equal("2", attachment.GetProperty("part").GetString());
        Assert.Equal("image/png", attachment.GetProperty("type").GetString());
        Assert.Equal(8, attachment.GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task SendWithAttachments_ViewAndPart_ByteIdentical()
    {
        await using var bob = await NewUserAsync("att-bob@example.org");
        await using var alice = await NewUserAsync("att-alice@example.org");
        var pdf = new byte[70_000];
        new Random(13).NextBytes(pdf);
        pdf[0] = 0;
        var notes = Encoding.UTF8.GetBytes("line one\r\nline two\n\u00e9t\u00e9\n");

        var sent = await alice.RequestAsync(
            new
            {
                cmd = "send",
                to = new[] { "Bob <att-bob@example.org>" },
                subject = "Files",
                text = "See attached.",
                attachments = new object[]
                {
                    new { name = "report.pdf", type = "application/pdf", size = pdf.Length },
                    new { name = "notes ü.txt", type = "text/plain", size = notes.Length },
                },
            },
            [.. pdf, .. notes]);
        Assert.True(sent.Ok, sent.Head);

        var list = await bob.RequestAsync(new { cmd = "message.list", folder = "Inbox" });
        var id = list.Json.GetProperty("messages")[0].GetProperty("id").GetInt64();
        var view = await bob.RequestAsync(new { cmd = "message.view", folder = "Inbox", id });
        Assert.Equal("See attached.", view.Json.GetProperty("text").GetString()!.Trim());
        var attachments = view.Json.GetProperty("attachments").EnumerateArray().ToList();
        Assert.Equal(2, attachments.Count);
        Assert.Equal(("report.pdf", "application/pdf", (long)pdf.Length), (attachments[0].GetProperty("name").GetString(), attachments[0].GetProperty("type").GetString(), attachments[0].GetProperty("size").GetInt64()));
        Assert.Equal(("notes ü.txt", "text/plain", (long)notes.Length), (attachments[1].GetProperty("name").GetString(), attachments[1].GetProperty("type").GetString(), attachments[1].GetProperty("size").GetInt64()));

        foreach (var (attachment, bytes) in attachments.Zip([pdf, notes]))
        {
            var part = await bob.RequestAsync(new { cmd = "message.part", folder = "Inbox", id, part = attachment.GetProperty("part").GetString() });
            Assert.True(part.Ok, part.Head);
            Assert.Equal(bytes, part.Body);
            Assert.Equal(bytes.Length, part.Json.GetProperty("size").GetInt64());
            Assert.Equal(attachment.GetProperty("name").GetString(), part.Json.GetProperty("name").GetString());
        }

        var missing = await bob.RequestAsync(new { cmd = "message.part", folder = "Inbox", id, part = "9" });
        Assert.Equal("message.part-not-found", missing.Code);
    }

    [Fact]
    public async Task Send_AttachmentSizesNotAddingUp_RequestInvalidNothingSent()
    {
        await using var alice = await NewUserAsync("att-sizes@example.org");
        var reply = await alice.RequestAsync(
            new { cmd = "send", to = new[] { "att-sizes@example.org" }, subject = "x", text = "x", attachments = new[] { new { name = "a.bin", type = "application/octet-stream", size = 10 } } },
            new byte[11]);
        Assert.Equal("request.invalid", reply.Code);

        var tooLarge = await alice.RequestAsync(
            new { cmd = "send", to = new[] { "att-sizes@example.org" }, subject = "x", text = "x", attachments = new[] { new { name = "a.bin", type = "application/octet-stream", size = 390_000 } } },
            new byte[390_000]);
        Assert.Equal("message.too-large", tooLarge.Code);

        var inbox = await alice.RequestAsync(new { cmd = "message.list", folder = "Inbox" });
        Assert.Equal(0, inbox.Json.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task DraftSave_ReplaceThenSend_OneDraftThenNone()
    {
        await using var alice = await NewUserAsync("draft-alice@example.org");
        await using var bob = await NewUserAsync("draft-bob@example.org");
        var file = Encoding.ASCII.GetBytes("attached draft file");

        var first = await alice.RequestAsync(new { cmd = "draft.save", to = new[] { "draft-bob@example.org" }, bcc = new[] { "draft-alice@example.org" }, subject = "Plan", text = "Draft 1" });
        Assert.True(first.Ok, first.Head);
        Assert.Equal("Drafts", first.Json.GetProperty("folder").GetString());
        var firstId = first.Json.GetProperty("id").GetInt64();

        var second = await alice.RequestAsync(
            new
            {
                cmd = "draft.save",
                to = new[] { "draft-bob@example.org" },
                bcc = new[] { "draft-alice@example.org" },
                subject = "Plan",
                text = "Draft 2",
                replaces = firstId,
                attachments = new[] { new { name = "plan.txt", type = "text/plain", size = file.Length } },
            },
            file);
        Assert.True(second.Ok, second.Head);
        var secondId = second.Json.GetProperty("id").GetInt64();
        Assert.Equal(firstId, second.Json.GetProperty("replaced").GetInt64());

        var drafts = await alice.RequestAsync(new { cmd = "message.list", folder = "Drafts" });
        var only = Assert.Single(drafts.Json.GetProperty("messages").EnumerateArray());
        Assert.Equal(secondId, only.GetProperty("id").GetInt64());
        Assert.Contains("draft", only.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        // Reopened: the fields, the Bcc and the attachment are all there.
        var view = await alice.RequestAsync(new { cmd = "message.view", folder = "Drafts", id = secondId });
        Assert.Equal("Draft 2", view.Json.GetProperty("text").GetString()!.Trim());
        Assert.Equal("draft-alice@example.org", view.Json.GetProperty("bcc")[0].GetString());
        var part = await alice.RequestAsync(new { cmd = "message.part", folder = "Drafts", id = secondId, part = view.Json.GetProperty("attachments")[0].GetProperty("part").GetString() });
        Assert.Equal(file, part.Body);

        var sent = await alice.RequestAsync(new { cmd = "send", to = new[] { "draft-bob@example.org" }, subject = "Plan", text = "Final", draft = secondId });
        Assert.True(sent.Ok, sent.Head);
        Assert.True(sent.Json.GetProperty("draftRemoved").GetBoolean());
        Assert.Equal(0, (await alice.RequestAsync(new { cmd = "message.list", folder = "Drafts" })).Json.GetProperty("total").GetInt32());
        Assert.Equal(0, (await alice.RequestAsync(new { cmd = "message.list", folder = "Trash" })).Json.GetProperty("total").GetInt32());
        Assert.Equal(1, (await bob.RequestAsync(new { cmd = "message.list", folder = "Inbox" })).Json.GetProperty("total").GetInt32());

        // Saving over a draft that is gone stores a new one.
        var again = await alice.RequestAsync(new { cmd = "draft.save", to = new[] { "draft-bob@example.org" }, subject = "P.S.", text = "x", replaces = secondId });
        Assert.True(again.Ok, again.Head);
        Assert.False(again.Json.TryGetProperty("replaced", out _));
    }

    [Fact]
    public async Task Send_Reply_InReplyToAndReferencesSet()
    {
        await using var alice = await NewUserAsync("reply-alice@example.org");
        var sent = await alice.RequestAsync(new { cmd = "send", to = new[] { "reply-alice@example.org" }, subject = "Re: x", text = "y", inReplyTo = "<m1@example.net>", references = new[] { "<m0@example.net>", "m1@example.net" } });
        Assert.True(sent.Ok, sent.Head);
        var list = await alice.RequestAsync(new { cmd = "message.list", folder = "Inbox" });
        var id = list.Json.GetProperty("messages")[0].GetProperty("id").GetInt64();
        var view = await alice.RequestAsync(new { cmd = "message.view", folder = "Inbox", id });
        Assert.Equal("<m1@example.net>", view.Json.GetProperty("inReplyTo").GetString());
        Assert.Equal(["<m0@example.net>", "<m1@example.net>"], view.Json.GetProperty("references").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    private async Task<WebSocketSession> NewUserAsync(string user)
    {
        await using (await RawSession.RegisterAsync(fixture.Daemon.EndPoint, user, Password))
        {
        }

        return await WebSocketSession.LoginAsync(fixture.Daemon, user, Password);
    }

    private static async Task<long> StoreAsync(WebSocketSession web, byte[] raw)
    {
        var stored = await web.RequestAsync(new { cmd = "message.store", folder = "Inbox", flags = Array.Empty<string>() }, raw);
        Assert.True(stored.Ok, stored.Head);
        return stored.Json.GetProperty("id").GetInt64();
    }

    private static byte[] Mime((string Type, string Content) body) => Encoding.UTF8.GetBytes(
        $"From: Mallory <mallory@example.net>\r\nTo: someone@example.org\r\nSubject: Hostile\r\nMIME-Version: 1.0\r\nContent-Type: {body.Type}; charset=utf-8\r\n\r\n{body.Content.ReplaceLineEndings("\r\n")}\r\n");
}
