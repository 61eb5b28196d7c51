using System.Text.Json.Nodes;
using Butterfly.Web.Tests.Infrastructure;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace Butterfly.Web.Tests;

/// <summary>The screens besides mail: the script editor of a programmable address, and settings with usage and quota.</summary>
public sealed class AccountScreensTests(DesktopFixture fixture, ITestOutputHelper output) : IClassFixture<DesktopFixture>
{
    private const string Broken = "// Files every message.\nexport function onMessage(message, ctx) {\n  ctx.log(\"from \" + );\n}\n";
    private const string Fixed = "// Files every message.\nexport function onMessage(message, ctx) {\n  ctx.log(\"from \" + message.from);\n}\n";

    private readonly WebPage _page = fixture.Page;

    [Fact]
    public async Task ScriptEditor_SyntaxError_ShownAtItsLineThenFixedScriptDeploys()
    {
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        var play = "play" + alice.Address;
        await fixture.Daemon.CliAsync("script", "allow", play, "--owner", alice.Address);
        await _page.LogInAsync(alice);

        await _page.ClickAsync("open-scripts");
        await _page.WaitAsync(() => _page.Element("script-address").Text.Contains(play, StringComparison.Ordinal), "the owned address is offered");
        var editor = await _page.VisibleAsync("script-editor");

        // The editor starts with a template once the address's (absent) script has been asked for.
        await _page.WaitAsync(() => ((string?)editor.GetDomProperty("value") ?? string.Empty).Contains("onMessage", StringComparison.Ordinal), "the editor holds the template");
        SetEditor(editor, Broken);
        await _page.ClickAsync("script-deploy");

        await _page.WaitAsync(() => _page.Element("script-error").GetDomAttribute("data-line") == "3", "the error is shown at line 3");
        Assert.Contains("Line 3", _page.Element("script-error").Text, StringComparison.Ordinal);
        Assert.Equal("3", _page.Element("script-gutter").FindElement(By.CssSelector(".error")).Text);
        output.WriteLine("screenshot: " + _page.Screenshot("script-editor-error"));

        SetEditor(editor, Fixed);
        await _page.ClickAsync("script-deploy");

        await _page.WaitAsync(() => _page.Element("script-result").GetDomAttribute("data-kind") == "ok", "the script is deployed");
        Assert.Empty(_page.Element("script-error").Text);
        await using var client = await fixture.Daemon.ConnectAsync(alice);
        var stored = (await client.RequestAsync(new JsonObject { ["cmd"] = "script.get", ["address"] = play })).EnsureOk();
        Assert.Equal(Fixed, stored.Head.GetProperty("source").GetString());
        output.WriteLine("screenshot: " + _page.Screenshot("script-editor"));
    }

    [Fact]
    public async Task Settings_AccountWithQuota_ShowsUsageAndQuota()
    {
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        await fixture.Daemon.CliAsync("quota", "set", alice.Address, "10M");
        await _page.LogInAsync(alice);

        await _page.ClickAsync("open-settings");

        // 10M is 10 × 1024 × 1024 bytes: "10 MB" or "10.0 MB".
        await _page.WaitAsync(() => _page.Element("account-quota").Text.StartsWith("10", StringComparison.Ordinal), "the quota is shown");
        Assert.Matches(@"^10(\.0)? MB$", _page.Element("account-quota").Text);
        Assert.Equal(alice.Address, _page.Element("account-address").Text);
        Assert.Matches(@"of 10(\.0)? MB", _page.Element("account-usage").Text);
        output.WriteLine("screenshot: " + _page.Screenshot("settings"));
    }

    // As if typed: select all, then the new text (typing character by character into a large textarea is slow).
    private void SetEditor(IWebElement editor, string text)
    {
        editor.Click();
        editor.SendKeys(Keys.Control + "a");
        editor.SendKeys(Keys.Delete);
        editor.SendKeys(text);
        Assert.Equal(text, editor.GetDomProperty("value"));
    }
}
