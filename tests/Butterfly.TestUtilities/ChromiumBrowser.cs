using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.BiDi;
using OpenQA.Selenium.Chrome;

namespace Butterfly.TestUtilities;

/// <summary>
/// Headless Debian Chromium driven through Selenium and Debian's chromedriver: a fresh temporary
/// profile, a fixed viewport, no network but loopback, every request the browser makes recorded
/// (WebDriver BiDi's network.beforeRequestSent), screenshots saved as test artifacts. Dispose quits the driver and kills, by PID, whatever it started that is still running.
/// </summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    /// <summary>Debian's chromium launcher.</summary>
    public const string BrowserPath = "/usr/bin/chromium";

    /// <summary>Debian's chromedriver (package chromium-driver).</summary>
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly ChromeDriverService _service;
    private readonly ChromeDriver _driver;
    private readonly TempDirectory _profile;
    private readonly List<string> _requests = [];
    private readonly List<(int Pid, long StartTime)> _started = [];
    private IBiDi? _bidi;

    private ChromiumBrowser(ChromeDriverService service, ChromeDriver driver, TempDirectory profile, ChromiumWindow window)
    {
        _service = service;
        _driver = driver;
        _profile = profile;
        Window = window;
    }

    /// <summary>Where screenshots go: <c>TestResults/screenshots</c> beside the test assembly.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>The Selenium driver.</summary>
    public ChromeDriver Driver => _driver;

    /// <summary>Where downloads are saved (inside the temporary profile), without asking.</summary>
    public string DownloadDirectory => _profile.Combine("Downloads");

    /// <summary>The viewport the browser was started with.</summary>
    public ChromiumWindow Window { get; }

    /// <summary>The chromedriver process id.</summary>
    public int DriverProcessId => _service.ProcessId;

    /// <summary>Starts the browser; fails loudly when chromium or chromedriver is not installed (.ci/run installs both).</summary>
    /// <param name="window">The viewport; <see cref="ChromiumWindow.Desktop"/> when null.</param>
    /// <param name="recordRequests">Whether chromedriver records Network events for <see cref="RequestedUrls"/> (off for measurements: it costs time per event).</param>
    public static async Task<ChromiumBrowser> StartAsync(ChromiumWindow? window = null, bool recordRequests = true)
    {
        window ??= ChromiumWindow.Desktop;
        foreach (var path in new[] { BrowserPath, DriverPath })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"{path} is missing: the web client's browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run installs them).");
            }
        }

        var profile = new TempDirectory("butterfly-chromium");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        service.EnableVerboseLogging = false;

        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless=new",
            "--user-data-dir=" + profile.Path,
            string.Create(CultureInfo.InvariantCulture, $"--window-size={window.Width},{window.Height}"),

            // Nothing leaves the machine: every host name fails to resolve except loopback, and the
            // browser's own background traffic (updates, sync, safe browsing, metrics) is off.
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-domain-reliability",
            "--disable-client-side-phishing-detection",
            "--no-first-run",
            "--no-default-browser-check",
            "--metrics-recording-only",
            "--password-store=basic",
            "--use-mock-keychain",
            "--mute-audio",
            "--disable-dev-shm-usage",
            "--disable-gpu",

            // Sandboxed iframes stay in their parent's renderer process: chromedriver (BiDi and its performance
            // log alike) does not see the requests of a sandboxed frame moved to a process of its own, and the
            // hostile-HTML test must see every request. The sandbox attribute and CSP apply the same either way.
            "--disable-features=IsolateSandboxedIframes",

            // Debian's chromium will not start its process sandbox as root (CI runs as root). This is the
            // OS-level sandbox of Chromium's own processes; the page's iframe sandbox and CSP are unaffected.
            "--no-sandbox");

        options.AddUserProfilePreference("download.default_directory", Path.Combine(profile.Path, "Downloads"));
        options.AddUserProfilePreference("download.prompt_for_download", false);

        // WebDriver BiDi, for RequestedUrls.
        options.UseWebSocketUrl = recordRequests;
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);

        ChromeDriver driver;
        try
        {
            driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        }
        catch
        {
            service.Dispose();
            profile.Dispose();
            throw;
        }

        var browser = new ChromiumBrowser(service, driver, profile, window);
        browser.RememberProcesses();
        try
        {
            if (recordRequests)
            {
                browser._bidi = await driver.AsBiDiAsync();
                await browser._bidi.Network.BeforeRequestSent.SubscribeAsync(e =>
                {
                    lock (browser._requests)
                    {
                        browser._requests.Add(e.Request.Url);
                    }
                });
            }

            browser.Emulate(window);
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }

        driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
        return browser;
    }

    /// <summary>Opens <paramref name="url"/> in the current tab.</summary>
    public void Open(Uri url) => _driver.Navigate().GoToUrl(url);

    /// <summary>Runs a script in the current frame and returns its result.</summary>
    public object? Run(string script, params object[] args) => _driver.ExecuteScript(script, args);

    /// <summary>Every URL the browser requested so far, in any tab or frame (BiDi network.beforeRequestSent, sent before the request).</summary>
    public IReadOnlyList<string> RequestedUrls()
    {
        if (_bidi is null)
        {
            throw new InvalidOperationException("Started without recordRequests.");
        }

        lock (_requests)
        {
            return _requests.ToArray();
        }
    }

    /// <summary>What the page wrote to the console or reported (CSP violations, uncaught errors) since the last call.</summary>
    public IReadOnlyList<string> ConsoleMessages() =>
        _driver.Manage().Logs.GetLog(LogType.Browser).Select(e => $"{e.Level}: {e.Message}").ToArray();

    /// <summary>Saves a PNG of the viewport as a test artifact and returns its path.</summary>
    /// <param name="name">The file name without extension.</param>
    public string SaveScreenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        _driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>Opens a second tab (the same profile, so the same stored login) and switches to it; returns its handle.</summary>
    public string OpenTab(Uri url)
    {
        _driver.SwitchTo().NewWindow(WindowType.Tab);
        Emulate(Window);
        _driver.Navigate().GoToUrl(url);
        RememberProcesses();
        return _driver.CurrentWindowHandle;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        RememberProcesses();
        try
        {
            if (_bidi is not null)
            {
                await _bidi.DisposeAsync();
            }
        }
        catch (Exception e) when (e is WebDriverException or IOException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // The browser went first; quitting below still runs.
        }

        try
        {

            _driver.Quit();
        }
        catch (WebDriverException)
        {
            // The browser is gone already; the processes are killed below.
        }
        finally
        {
            _driver.Dispose();
            _service.Dispose();
            ChromiumProcesses.KillIfStillRunning(_started);
            _profile.Dispose();
        }
    }

    // The CSS viewport exactly as asked (the window size includes no browser UI in headless mode, but a
    // phone also needs touch and the page's meta viewport honoured).
    private void Emulate(ChromiumWindow window) =>
        _driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = window.Width,
            ["height"] = window.Height,
            ["deviceScaleFactor"] = window.Mobile ? 2 : 1,
            ["mobile"] = window.Mobile,
        });

    private void RememberProcesses()
    {
        foreach (var process in ChromiumProcesses.Descendants(_service.ProcessId))
        {
            if (!_started.Contains(process))
            {
                _started.Add(process);
            }
        }
    }
}
