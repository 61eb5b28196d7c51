using System.Net.Http.Headers;
using System.Text;
using Butterfly.Web.Tests.Infrastructure;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace Butterfly.Web.Tests;

/// <summary>
/// Hostile HTML mail in a real browser (issue 13, "Security"): TestData/messages/hostile-html.eml holds
/// script, event handlers, javascript: links, a form, remote CSS (tag, attribute, @import, fonts), a meta
/// refresh, SVG script, iframes, object/embed, base href and one remote image, all pointing at a probe
/// server on loopback that records every request it gets.
///
/// How "nothing ran" is detected: every script in the message tries four things at once — fetch the
/// probe, <c>parent.postMessage</c> to the app's window (the test listens there; postMessage crosses
/// origins, so even a script in an opaque sandboxed frame would be heard), set <c>data-ran</c> on its own
/// document (read by the test through WebDriver inside the frame), and set <c>top.document.title</c>.
/// How "nothing left" is detected: the probe's own log of requests, and the browser's list of every
/// request it made in any frame (chromedriver's performance log, Network.requestWillBeSent). Both are read
/// once the frame has loaded — its load event waits for every subresource the document asked for — and
/// again after clicking everything clickable and after "show images", whose expected request
/// (<c>/remote.png</c>) marks the point by which everything before it had been sent; from then on only
/// images (the message names them all <c>*.png</c>) may load, never a stylesheet, font, frame or form target.
/// </summary>
public sealed class HostileHtmlTests(DesktopFixture fixture, ITestOutputHelper output) : IClassFixture<DesktopFixture>, IAsyncLifetime
{
    // Listens in the app's window for messages from any frame.
    private const string Harness = """
        window.__probeMessages = [];
        window.addEventListener('message', e => window.__probeMessages.push(String(e.data)));
        """;

    private readonly WebPage _page = fixture.Page;
    private readonly RequestProbe _probe = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _probe.DisposeAsync().AsTask();

    [Fact]
    public async Task OpenHostileMessage_ClickEverything_NothingRunsAndNothingLeavesUntilShowImages()
    {
        var bob = await fixture.Daemon.NewAccountAsync("bob");
        await using (var client = await fixture.Daemon.ConnectAsync(bob))
        {
            var eml = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "messages", "hostile-html.eml"));
            var raw = eml.ReplaceLineEndings("\r\n").Replace("PROBE", _probe.Origin, StringComparison.Ordinal);
            await client.StoreAsync("Inbox", Encoding.UTF8.GetBytes(raw));
        }

        await _page.LogInAsync(bob);
        _page.Run(Harness);
        await _page.OpenMessageAsync("Hostile HTML");
        var frame = await RenderedFrameAsync(remoteImages: false);

        // The frame: sandboxed with no permission at all, the server's CSP meta first in its head.
        Assert.Equal(string.Empty, frame.GetDomAttribute("sandbox"));
        var srcdoc = frame.GetDomAttribute("srcdoc")!;
        output.WriteLine("the frame's document as served:\n" + srcdoc);
        Assert.Matches("^<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'", srcdoc);
        Assert.DoesNotContain("<script", srcdoc, StringComparison.OrdinalIgnoreCase);
        AssertNothingRanOrLeft("after the message rendered");

        // Click whatever the sanitizer left to click, inside the frame (it drops ids, so by kind).
        _page.Driver.SwitchTo().Frame(frame);
        Assert.Equal("Hostile HTML", _page.Driver.FindElement(By.TagName("h1")).Text);
        var clicked = new List<string>();
        foreach (var element in _page.Driver.FindElements(By.CssSelector("a, button, input, summary, label, div, svg, td")))
        {
            if (element.Displayed)
            {
                clicked.Add($"<{element.TagName}> {element.Text}");
                element.Click();
            }
        }

        Assert.NotEmpty(clicked);
        Assert.Null(_page.Run("return document.documentElement.getAttribute('data-ran');"));
        _page.Driver.SwitchTo().DefaultContent();
        output.WriteLine("clicked in the frame: " + string.Join(", ", clicked));
        Assert.DoesNotContain("pwned", _page.Driver.Title, StringComparison.Ordinal);

        // "Show images": the frame reloads allowing remote images, and the probe sees the remote image.
        await _page.ClickAsync("reader-show-images");
        var withImages = await RenderedFrameAsync(remoteImages: true);
        output.WriteLine("with images:\n" + withImages.GetDomAttribute("srcdoc"));
        await _page.WaitAsync(() => _probe.Requests.Contains("GET /remote.png HTTP/1.1"), "the probe got the remote image");

        // Images only: the remote <img>, and remote CSS backgrounds the user now allowed (all named *.png in the
        // message); never a stylesheet, font, frame, object, script, form or refresh target.
        output.WriteLine("probe saw: " + string.Join(" | ", _probe.Requests));
        Assert.All(_probe.Requests, r => Assert.Matches(@"^GET /[a-z0-9-]+\.png HTTP/1\.1$", r));
        Assert.All(
            fixture.Browser.RequestedUrls().Where(u => u.StartsWith(_probe.Origin, StringComparison.Ordinal)),
            u => Assert.EndsWith(".png", u, StringComparison.Ordinal));
        Assert.Empty((System.Collections.ObjectModel.ReadOnlyCollection<object>)_page.Run("return window.__probeMessages;")!);
        output.WriteLine("screenshot: " + _page.Screenshot("reader-hostile-html"));
    }

    [Fact]
    public async Task Page_AnyResponse_CarriesStrictSecurityHeaders()
    {
        using var http = new HttpClient();
        foreach (var path in new[] { "/", "/index.html", "/js/main.js", "/css/app.css", "/no-such-file" })
        {
            using var response = await http.GetAsync(new Uri(fixture.Daemon.Url, path));
            var headers = response.Headers;
            var csp = string.Join(", ", Values(headers, "Content-Security-Policy"));
            foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'" })
            {
                Assert.Contains(directive, csp, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("unsafe-inline", csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Equal(["nosniff"], Values(headers, "X-Content-Type-Options"));
            Assert.Equal(["no-referrer"], Values(headers, "Referrer-Policy"));
            Assert.Equal(["DENY"], Values(headers, "X-Frame-Options"));
        }
    }

    // The reader's frame once its load event fired (data-rendered, set by the app): by then every subresource the
    // document asked for was requested (or refused). Show images makes a new frame whose CSP allows remote images.
    private async Task<IWebElement> RenderedFrameAsync(bool remoteImages)
    {
        IWebElement? frame = null;
        await _page.WaitAsync(
            () => (frame = _page.Elements("reader-html").SingleOrDefault()) is not null
                && frame.GetDomAttribute("data-rendered") == "true"
                && frame.GetDomAttribute("srcdoc")!.Contains("img-src data: https: http:", StringComparison.Ordinal) == remoteImages,
            remoteImages ? "the frame with remote images allowed loaded" : "the message frame loaded");
        return frame!;
    }

    private static string[] Values(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.ToArray() : [];

    private void AssertNothingRanOrLeft(string when)
    {
        Assert.True(_probe.Requests.Count == 0, $"{when}, the probe got: {string.Join(" | ", _probe.Requests)}");
        var leaked = fixture.Browser.RequestedUrls().Where(u => u.StartsWith(_probe.Origin, StringComparison.Ordinal)).ToArray();
        Assert.True(leaked.Length == 0, $"{when}, the browser requested: {string.Join(" | ", leaked)}");
        var heard = (System.Collections.ObjectModel.ReadOnlyCollection<object>)_page.Run("return window.__probeMessages;")!;
        Assert.True(heard.Count == 0, $"{when}, scripts in the message ran: {string.Join(", ", heard)}");
    }
}
