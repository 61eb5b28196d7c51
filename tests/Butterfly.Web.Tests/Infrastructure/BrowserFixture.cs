using Butterfly.TestUtilities;

namespace Butterfly.Web.Tests.Infrastructure;

/// <summary>
/// One daemon and one browser shared by the tests of a class (starting Chromium and the daemon
/// takes seconds); each test makes accounts of its own and opens the page logged out, so the tests
/// stay independent.
/// </summary>
public abstract class BrowserFixture : IAsyncLifetime
{
    private WebDaemon? _daemon;
    private ChromiumBrowser? _browser;

    /// <summary>The daemon.</summary>
    public WebDaemon Daemon => _daemon!;

    /// <summary>The browser.</summary>
    public ChromiumBrowser Browser => _browser!;

    /// <summary>The page, in the browser's first tab.</summary>
    public WebPage Page { get; private set; } = null!;

    /// <summary>The viewport of the browser.</summary>
    protected abstract ChromiumWindow Window { get; }

    public async Task InitializeAsync()
    {
        _daemon = await WebDaemon.StartAsync();
        _browser = await ChromiumBrowser.StartAsync(Window);
        Page = new WebPage(_browser, _daemon.Url);
    }

    /// <summary>Closes every tab but the first (a test that opened more leaves the next one a single tab).</summary>
    public void CloseOtherTabs()
    {
        var handles = Browser.Driver.WindowHandles;
        foreach (var handle in handles.Skip(1))
        {
            Browser.Driver.SwitchTo().Window(handle);
            Browser.Driver.Close();
        }

        Browser.Driver.SwitchTo().Window(handles[0]);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
    }
}
