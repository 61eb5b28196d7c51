using Butterfly.TestUtilities;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace Butterfly.Web.Tests.Infrastructure;

/// <summary>
/// The web client in one browser, driven the way a person would: through the controls'
/// <c>data-testid</c>s (WEB-CONTRACT.md, "UI test ids") and the page's own signals
/// (<c>body[data-ready]</c>, <c>body[data-conn]</c>, list and row attributes). Every wait is a
/// condition polled with a deadline (Eventually), never a pause.
/// </summary>
public sealed class WebPage
{
    public WebPage(ChromiumBrowser browser, Uri url)
    {
        Browser = browser;
        Url = url;
    }

    /// <summary>The browser.</summary>
    public ChromiumBrowser Browser { get; }

    /// <summary>The page's address.</summary>
    public Uri Url { get; }

    /// <summary>The Selenium driver.</summary>
    public IWebDriver Driver => Browser.Driver;

    /// <summary>The CSS selector of a test id.</summary>
    public static By Id(string testId) => By.CssSelector($"[data-testid=\"{testId}\"]");

    /// <summary>The one element with that test id (fails when there is none).</summary>
    public IWebElement Element(string testId) => Driver.FindElement(Id(testId));

    /// <summary>Every element with that test id.</summary>
    public IReadOnlyList<IWebElement> Elements(string testId) => Driver.FindElements(Id(testId));

    /// <summary>Runs a script in the page.</summary>
    public object? Run(string script, params object[] args) => Browser.Run(script, args);

    /// <summary>Waits until <paramref name="condition"/> holds; elements that are replaced or not there yet count as "not yet".</summary>
    /// <exception cref="TimeoutException">It did not hold in time; the message says what the page showed.</exception>
    public async Task WaitAsync(Func<bool> condition, string what, TimeSpan? within = null)
    {
        try
        {
            await Eventually.TrueAsync(() =>
            {
                try
                {
                    return condition();
                }
                catch (Exception e) when (e is NoSuchElementException or StaleElementReferenceException or ElementNotInteractableException)
                {
                    return false;
                }
            }, what, within);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\n" + Describe(), e);
        }
    }

    /// <summary>What the page shows that explains a wait that timed out: its signals, errors and console.</summary>
    public string Describe()
    {
        try
        {
            var state = Run("""
                const t = id => { const e = document.querySelector(`[data-testid="${id}"]`); return e ? e.textContent : null; };
                return JSON.stringify({ url: location.href, body: { ...document.body.dataset }, loginError: t('login-error'),
                  toast: t('toast'), composeError: t('compose-error'), list: { ...(document.querySelector('[data-testid=message-list]') || {}).dataset } });
                """);
            return $"page: {state}\nconsole:\n{string.Join("\n", Browser.ConsoleMessages())}";
        }
        catch (WebDriverException e)
        {
            return "page state unavailable: " + e.Message;
        }
    }

    /// <summary>Waits for the element with that test id to be shown and returns it.</summary>
    public async Task<IWebElement> VisibleAsync(string testId)
    {
        IWebElement? found = null;
        await WaitAsync(() => (found = Elements(testId).FirstOrDefault(e => e.Displayed)) is not null, $"[data-testid={testId}] is shown");
        return found!;
    }

    /// <summary>Clicks the shown element with that test id.</summary>
    public async Task ClickAsync(string testId) => (await VisibleAsync(testId)).Click();

    /// <summary>Replaces the text of a field.</summary>
    public async Task TypeAsync(string testId, string text)
    {
        var field = await VisibleAsync(testId);
        field.Clear();
        field.SendKeys(text);
    }

    /// <summary>Presses keys on whatever has focus, as a person typing.</summary>
    public void Press(string keys) => new Actions(Driver).SendKeys(keys).Perform();

    /// <summary>Opens the page in a fresh state: nothing stored from an earlier test, the login form shown.</summary>
    public async Task OpenLoggedOutAsync()
    {
        Browser.Open(Url);
        Run("sessionStorage.clear(); localStorage.clear();");
        Browser.Open(Url);
        await WaitReadyAsync();
        await VisibleAsync("login-form");
    }

    /// <summary>Waits until the page drew its first screen (<c>body[data-ready]</c>).</summary>
    public Task WaitReadyAsync() =>
        WaitAsync(() => Run("return document.body && document.body.dataset.ready === '1';") is true, "the page drew its first screen");

    /// <summary>Logs in through the form and waits for the Inbox to be listed.</summary>
    public async Task LogInAsync(TestAccount account)
    {
        await OpenLoggedOutAsync();
        await LogInHereAsync(account);
    }

    /// <summary>Logs in through the form the current tab shows (a new tab has no token of its own) and waits for the Inbox.</summary>
    public async Task LogInHereAsync(TestAccount account)
    {
        await WaitReadyAsync();
        await TypeAsync("login-user", account.Address);
        await TypeAsync("login-password", account.Password);
        await ClickAsync("login-submit");
        await WaitMailboxAsync();
    }

    /// <summary>Waits until the mail screen shows a folder's list over an open connection (and so pushes are live).</summary>
    public async Task WaitMailboxAsync(string folder = "Inbox")
    {
        await VisibleAsync("message-list");
        await WaitAsync(
            () => Run("return document.body.dataset.conn === 'open' && document.body.dataset.ready === '1';") is true
                && Element("message-list").GetDomAttribute("data-folder") == folder
                && Element("message-list").GetDomAttribute("data-state") == "ready",
            $"the {folder} list is shown, connected");
    }

    /// <summary>Opens the composer and types a new message into it, as a person would.</summary>
    public async Task ComposeAsync(string to, string subject, string body)
    {
        await ClickAsync("compose-new");
        await TypeAsync("compose-to", to);
        await TypeAsync("compose-subject", subject);
        await TypeAsync("compose-body", body);
    }

    /// <summary>Clicks Send and waits for the composer to close (it closes once the server accepted the send).</summary>
    public async Task SendComposedAsync()
    {
        await ClickAsync("compose-send");
        await WaitAsync(() => !Element("compose").Displayed, "the composer closed after sending");
    }

    /// <summary>The rows of the message list as the page shows them.</summary>
    public IReadOnlyList<Row> Rows() =>
        Elements("message-row").Select(r => new Row(
            long.Parse(r.GetDomAttribute("data-id")!, System.Globalization.CultureInfo.InvariantCulture),
            r.GetDomAttribute("data-folder") ?? string.Empty,
            r.FindElement(Id("row-subject")).Text,
            r.GetDomAttribute("data-unread") == "1",
            r.GetDomAttribute("data-flagged") == "1")).ToArray();

    /// <summary>Waits for a row with that subject and returns it.</summary>
    public async Task<Row> RowAsync(string subject)
    {
        Row? found = null;
        await WaitAsync(() => (found = Rows().FirstOrDefault(r => r.Subject == subject)) is not null, $"a row '{subject}' is listed");
        return found!;
    }

    /// <summary>The row element with that subject.</summary>
    public IWebElement RowElement(string subject) =>
        Elements("message-row").First(r => r.FindElement(Id("row-subject")).Text == subject);

    /// <summary>Clicks the row and waits for the reader to show the message.</summary>
    public async Task OpenMessageAsync(string subject)
    {
        await RowAsync(subject);
        await WaitAsync(() =>
        {
            RowElement(subject).Click();
            return true;
        }, $"row '{subject}' clicked");
        await WaitAsync(() => Element("reader-subject").Text == subject, $"the reader shows '{subject}'");
    }

    /// <summary>Clicks a folder in the tree and waits for its list.</summary>
    public async Task OpenFolderAsync(string folder)
    {
        await WaitAsync(() =>
        {
            var item = Driver.FindElements(By.CssSelector($"[data-testid=\"folder-item\"][data-folder=\"{folder}\"]")).FirstOrDefault(e => e.Displayed);
            if (item is null)
            {
                return false;
            }

            (item.FindElements(By.CssSelector("button, a")).FirstOrDefault() ?? item).Click();
            return true;
        }, $"folder {folder} clicked");
        await WaitMailboxAsync(folder);
    }

    /// <summary>Saves a screenshot as a test artifact and returns its path.</summary>
    public string Screenshot(string name) => Browser.SaveScreenshot(name);

    /// <summary>One row of the message list.</summary>
    public sealed record Row(long Id, string Folder, string Subject, bool Unread, bool Flagged);
}
