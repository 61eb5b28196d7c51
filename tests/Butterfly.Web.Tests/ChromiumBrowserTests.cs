using Butterfly.TestUtilities;
using Butterfly.Web.Tests.Infrastructure;

namespace Butterfly.Web.Tests;

/// <summary>The browser fixture itself: loopback only, every request recorded, nothing left running.</summary>
public sealed class ChromiumBrowserTests
{
    [Fact]
    public async Task Start_LoopbackPage_RequestReachesServerAndIsRecorded()
    {
        await using var probe = new RequestProbe();
        await using var browser = await ChromiumBrowser.StartAsync();

        browser.Open(new Uri(probe.Url("/hello")));

        Assert.Contains("GET /hello HTTP/1.1", probe.Requests);
        await Eventually.TrueAsync(() => browser.RequestedUrls().Contains(probe.Url("/hello")), "the browser lists the request");
        Assert.Equal(1280L, browser.Run("return window.innerWidth;"));
    }

    [Fact]
    public async Task RequestedUrls_ScriptlessSandboxedFrame_RecordsItsRequestsAndDriverReadsIt()
    {
        // What the hostile-HTML test relies on: requests made by a sandbox="" srcdoc frame (an opaque origin)
        // show in the browser's list, and WebDriver can look inside such a frame. The page
        // comes from loopback as the web client does (a data: page may not reach loopback: local network access).
        await using var probe = new RequestProbe();
        await using var browser = await ChromiumBrowser.StartAsync();
        var frame = $"<title>inner</title><img src='{probe.Url("/in-frame.png")}'>";

        probe.Serve("/page", $"<iframe sandbox=\"\" srcdoc=\"{frame}\"></iframe>");

        browser.Open(new Uri(probe.Url("/page")));

        await Eventually.TrueAsync(() => probe.Requests.Contains("GET /in-frame.png HTTP/1.1"), "the frame's image reached the probe");
        await Eventually.TrueAsync(() => browser.RequestedUrls().Contains(probe.Url("/in-frame.png")), "the browser lists the frame's request: " + string.Join(" ", browser.RequestedUrls()));
        browser.Driver.SwitchTo().Frame(0);
        Assert.Equal("inner", browser.Run("return document.title;"));
    }

    [Fact]
    public async Task Start_HostNameOtherThanLoopback_DoesNotResolve()
    {
        await using var browser = await ChromiumBrowser.StartAsync();

        var failure = Assert.ThrowsAny<OpenQA.Selenium.WebDriverException>(() => browser.Open(new Uri("http://butterfly.example.com/")));

        Assert.Contains("ERR_NAME_NOT_RESOLVED", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PhoneWindow_ViewportIsPhoneSized()
    {
        await using var browser = await ChromiumBrowser.StartAsync(ChromiumWindow.Phone);

        browser.Open(new Uri("data:text/html,<meta name=viewport content='width=device-width'><p>x"));

        Assert.Equal(390L, browser.Run("return window.innerWidth;"));
    }

    [Fact]
    public async Task Dispose_AfterPagesOpened_NoBrowserProcessLeft()
    {
        var browser = await ChromiumBrowser.StartAsync();
        browser.Open(new Uri("data:text/html,<p>x"));
        var driver = browser.DriverProcessId;
        var started = ChromiumProcesses.Descendants(driver).Select(p => p.Pid).ToArray();
        Assert.NotEmpty(started);

        await browser.DisposeAsync();

        Assert.All(started, pid => Assert.False(File.Exists($"/proc/{pid}/stat") && !IsZombie(pid), $"process {pid} still runs"));
        Assert.False(File.Exists($"/proc/{driver}/stat") && !IsZombie(driver), "chromedriver still runs");
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
