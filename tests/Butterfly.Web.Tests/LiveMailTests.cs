using Butterfly.Client;
using Butterfly.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Butterfly.Web.Tests;

/// <summary>New mail appears live (push events over /ws) in every open page of the recipient, without a reload.</summary>
public sealed class LiveMailTests(DesktopFixture fixture, ITestOutputHelper output) : IClassFixture<DesktopFixture>, IDisposable
{
    private readonly WebPage _page = fixture.Page;

    [Fact]
    public async Task Send_FromClient_ArrivesInEveryOpenTabOfRecipientWithoutReload()
    {
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        var bob = await fixture.Daemon.NewAccountAsync("bob");
        await _page.LogInAsync(bob);
        var firstTab = _page.Driver.CurrentWindowHandle;
        MarkDocument();

        // A second tab logs in on its own (the token is per tab) and marks its document too.
        fixture.Browser.OpenTab(_page.Url);
        await _page.LogInHereAsync(bob);
        var secondTab = _page.Driver.CurrentWindowHandle;
        MarkDocument();

        await using (var client = await fixture.Daemon.ConnectAsync(alice))
        {
            await client.SendAsync(new SendRequest { To = [bob.Address], Subject = "Live from the client", Text = "Hello Bob." });
        }

        foreach (var tab in new[] { secondTab, firstTab })
        {
            _page.Driver.SwitchTo().Window(tab);
            var row = await _page.RowAsync("Live from the client");
            Assert.True(row.Unread);
            Assert.True(DocumentStillMarked(), "the tab was reloaded instead of updated live");
        }

        await _page.WaitAsync(() => _page.Element("folder-unread").Text == "1", "the Inbox counts one unread");
        output.WriteLine("screenshot: " + _page.Screenshot("mailbox"));
    }

    [Fact]
    public async Task Send_FromAlicesPage_ArrivesInBobsOpenPage()
    {
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        var bob = await fixture.Daemon.NewAccountAsync("bob");
        await _page.LogInAsync(bob);
        var bobsTab = _page.Driver.CurrentWindowHandle;
        MarkDocument();

        fixture.Browser.OpenTab(_page.Url);
        await _page.LogInHereAsync(alice);
        await _page.ComposeAsync(bob.Address, "Written in the page", "Typed by Alice in her browser.");
        await _page.SendComposedAsync();

        _page.Driver.SwitchTo().Window(bobsTab);
        await _page.RowAsync("Written in the page");
        Assert.True(DocumentStillMarked(), "Bob's page was reloaded instead of updated live");
        await _page.OpenMessageAsync("Written in the page");
        Assert.Contains("Typed by Alice in her browser.", _page.Element("reader-text").Text, StringComparison.Ordinal);
        Assert.Contains(alice.Address, _page.Element("reader-from").Text, StringComparison.Ordinal);
    }

    public void Dispose() => fixture.CloseOtherTabs();

    // A property on the document's window: gone if the page reloads.
    private void MarkDocument() => _page.Run("window.__butterflyTestMark = true;");

    private bool DocumentStillMarked() => _page.Run("return window.__butterflyTestMark === true;") is true;
}
