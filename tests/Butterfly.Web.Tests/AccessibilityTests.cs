using Butterfly.Client;
using Butterfly.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Butterfly.Web.Tests;

/// <summary>
/// axe-core run inside the test browser on each main screen (AxeCheck); a violation of impact serious or
/// critical fails the test, and the message lists every one with the elements it was found on.
/// </summary>
public sealed class AccessibilityTests(DesktopFixture fixture, ITestOutputHelper output) : IClassFixture<DesktopFixture>
{
    private readonly WebPage _page = fixture.Page;

    [Theory]
    [InlineData("login")]
    [InlineData("mailbox")]
    [InlineData("compose")]
    [InlineData("settings")]
    [InlineData("scripts")]
    [InlineData("help")]
    public async Task Screen_AxeCheck_NoSeriousOrCriticalViolations(string screen)
    {
        await ShowAsync(screen);

        var violations = AxeCheck.Run(fixture.Browser);
        foreach (var v in violations)
        {
            output.WriteLine(v.ToString());
        }

        Assert.Null(AxeCheck.Serious(violations, screen));
    }

    private async Task ShowAsync(string screen)
    {
        if (screen == "login")
        {
            await _page.OpenLoggedOutAsync();
            return;
        }

        var alice = await fixture.Daemon.NewAccountAsync("alice");
        var bob = await fixture.Daemon.NewAccountAsync("bob");
        await using (var client = await fixture.Daemon.ConnectAsync(alice))
        {
            await client.SendAsync(new SendRequest { To = [bob.Address], Subject = "Accessible?", Text = "A message to have something in the list." });
        }

        await _page.LogInAsync(bob);
        await _page.OpenMessageAsync("Accessible?");
        switch (screen)
        {
            case "compose":
                await _page.ClickAsync("compose-new");
                await _page.VisibleAsync("compose-body");
                break;
            case "settings":
                await _page.ClickAsync("open-settings");
                await _page.VisibleAsync("account-quota");
                break;
            case "scripts":
                await _page.ClickAsync("open-scripts");
                await _page.VisibleAsync("scripts-back");
                break;
            case "help":
                await _page.ClickAsync("open-help");
                await _page.VisibleAsync("help-dialog");
                break;
        }
    }
}
