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
        using var browser = ChromiumBrowser.Start();

        browser.Open(new Uri(probe.Url("/hello")));

        Assert.Contains("GET /hello HTTP/1.1", probe.Requests);
        Assert.Contains(probe.Url("/hello"), browser.RequestedUrls());
        Assert.Equal(1280L, browser.Run("return window.innerWidth;"));
    }

    [Fact]
    public void Start_HostNameOtherThanLoopback_DoesNotResolve()
    {
        using var browser = ChromiumBrowser.Start();

        var failure = Assert.ThrowsAny<OpenQA.Selenium.WebDriverException>(() => browser.Open(new Uri("http://butterfly.example.com/")));

        Assert.Contains("ERR_NAME_NOT_RESOLVED", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_PhoneWindow_ViewportIsPhoneSized()
    {
        using var browser = ChromiumBrowser.Start(ChromiumWindow.Phone);

        browser.Open(new Uri("data:text/html,<meta name=viewport content='width=device-width'><p>x"));

        Assert.Equal(390L, browser.Run("return window.innerWidth;"));
    }

    [Fact]
    public void Dispose_AfterPagesOpened_NoBrowserProcessLeft()
    {
        var browser = ChromiumBrowser.Start();
        browser.Open(new Uri("data:text/html,<p>x"));
        var driver = browser.DriverProcessId;
        var started = ChromiumProcesses.Descendants(driver).Select(p => p.Pid).ToArray();
        Assert.NotEmpty(started);

        browser.Dispose();

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
