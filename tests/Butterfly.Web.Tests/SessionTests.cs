using Butterfly.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Butterfly.Web.Tests;

/// <summary>Logging in and out through the page; the session surviving a reload (a token, not the password).</summary>
public sealed class SessionTests(DesktopFixture fixture, ITestOutputHelper output) : IClassFixture<DesktopFixture>
{
    private readonly WebPage _page = fixture.Page;

    [Fact]
    public async Task LogIn_RightPassword_ShowsInboxOfThatUser()
    {
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        await _page.OpenLoggedOutAsync();
        await _page.TypeAsync("login-user", alice.Address);
        output.WriteLine("screenshot: " + _page.Screenshot("login"));

        await _page.TypeAsync("login-password", alice.Password);
        await _page.ClickAsync("login-submit");

        await _page.WaitMailboxAsync();
        Assert.Equal(alice.Address, _page.Element("user-name").Text);
        Assert.False(_page.Element("login").Displayed);
    }

    [Fact]
    public async Task LogIn_WrongPassword_StaysOnFormWithError()
    {
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        await _page.OpenLoggedOutAsync();

        await _page.TypeAsync("login-user", alice.Address);
        await _page.TypeAsync("login-password", "not-the-password");
        await _page.ClickAsync("login-submit");

        await _page.WaitAsync(() => _page.Element("login-error").Text.Length > 0, "the login error is shown");
        Assert.False(_page.Element("app").Displayed);
    }

    [Fact]
    public async Task Reload_AfterLogin_StaysLoggedInWithoutKeepingThePassword()
    {
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        await _page.LogInAsync(alice);

        _page.Driver.Navigate().Refresh();

        await _page.WaitMailboxAsync();
        Assert.Equal(alice.Address, _page.Element("user-name").Text);
        var stored = (string)_page.Run("return JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage), document.cookie]);")!;
        Assert.DoesNotContain(alice.Password, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MainScreens_UnderStrictCsp_PageReportsNoErrors()
    {
        // The app itself must live within its CSP (no inline script or style): a violation, an uncaught error or a
        // failed load of its own files shows in the console as SEVERE. The message frame's console (about:srcdoc)
        // is the sender's content, not the app's.
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        await _page.LogInAsync(alice);
        await _page.ClickAsync("compose-new");
        await _page.VisibleAsync("compose-body");
        _page.Press(OpenQA.Selenium.Keys.Escape);
        await _page.WaitAsync(() => !_page.Element("compose").Displayed, "the composer closed");
        await _page.ClickAsync("open-settings");
        await _page.VisibleAsync("account-quota");
        await _page.ClickAsync("settings-back");
        await _page.ClickAsync("open-scripts");
        await _page.VisibleAsync("scripts-back");

        var severe = fixture.Browser.ConsoleMessages()
            .Where(m => m.StartsWith("Severe", StringComparison.OrdinalIgnoreCase) && !m.Contains("about:srcdoc", StringComparison.Ordinal))
            .ToArray();
        Assert.True(severe.Length == 0, "the page reported:\n" + string.Join("\n", severe));
    }

    [Fact]
    public async Task LogOut_ThenReload_ShowsLoginForm()
    {
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        await _page.LogInAsync(alice);

        await _page.ClickAsync("logout");
        await _page.VisibleAsync("login-form");
        _page.Driver.Navigate().Refresh();

        await _page.WaitReadyAsync();
        await _page.VisibleAsync("login-form");
        Assert.False(_page.Element("app").Displayed);
    }
}
