using Butterfly.Client;
using Butterfly.Web.Tests.Infrastructure;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace Butterfly.Web.Tests;

/// <summary>Reading and handling mail in the page: read, search, move, flag, delete, keyboard shortcuts; checked against the server.</summary>
public sealed class MailboxTests(DesktopFixture fixture, ITestOutputHelper output) : IClassFixture<DesktopFixture>
{
    private readonly WebPage _page = fixture.Page;

    [Fact]
    public async Task Open_PlainMessage_ShowsTextAndMarksItReadOnServer()
    {
        var (bob, client) = await MailboxWithAsync("Minutes of Tuesday");
        await using var _ = client;
        await _page.LogInAsync(bob);
        Assert.True((await _page.RowAsync("Minutes of Tuesday")).Unread);

        await _page.OpenMessageAsync("Minutes of Tuesday");

        Assert.Contains("Body of Minutes of Tuesday.", _page.Element("reader-text").Text, StringComparison.Ordinal);
        await _page.WaitAsync(() => !_page.Rows().Single().Unread, "the row shows the message read");
        Assert.Contains("seen", Assert.Single((await client.ListMessagesAsync("Inbox")).Messages).Flags);
        output.WriteLine("screenshot: " + _page.Screenshot("reader"));
    }

    [Fact]
    public async Task Search_WordOfOneSubject_ListsOnlyThatMessage()
    {
        var (bob, client) = await MailboxWithAsync("Quarterly report", "Lunch plans", "Holiday photos");
        await using var _ = client;
        await _page.LogInAsync(bob);
        await _page.RowAsync("Holiday photos");

        await _page.TypeAsync("search-input", "quarterly");
        _page.Element("search-input").SendKeys(Keys.Enter);

        await _page.WaitAsync(
            () => _page.Element("message-list").GetDomAttribute("data-mode") == "search"
                && _page.Rows().Select(r => r.Subject).SequenceEqual(["Quarterly report"]),
            "the search lists only the quarterly report");
    }

    [Fact]
    public async Task Move_ToAnotherFolder_LeavesInboxAndIsInThatFolder()
    {
        var (bob, client) = await MailboxWithAsync("File me");
        await using var _ = client;
        await client.CreateFolderAsync("Projects");
        await _page.LogInAsync(bob);
        await _page.OpenMessageAsync("File me");

        await _page.ClickAsync("action-move");
        await _page.VisibleAsync("move-dialog");
        _page.Element("move-target").FindElement(By.CssSelector("option[value='Projects']")).Click();
        await _page.ClickAsync("move-ok");

        await _page.WaitAsync(() => _page.Rows().Count == 0, "the Inbox list is empty");
        Assert.Empty((await client.ListMessagesAsync("Inbox")).Messages);
        Assert.Equal("File me", Assert.Single((await client.ListMessagesAsync("Projects")).Messages).Subject);
        await _page.OpenFolderAsync("Projects");
        await _page.RowAsync("File me");
    }

    [Fact]
    public async Task Flag_OpenMessage_RowAndServerShowFlag()
    {
        var (bob, client) = await MailboxWithAsync("Important");
        await using var _ = client;
        await _page.LogInAsync(bob);
        await _page.OpenMessageAsync("Important");

        await _page.ClickAsync("action-flag");

        await _page.WaitAsync(
            () => _page.Element("action-flag").GetDomAttribute("aria-pressed") == "true" && _page.Rows().Single().Flagged,
            "the flag button is pressed and the row flagged");
        Assert.Contains("flagged", Assert.Single((await client.ListMessagesAsync("Inbox")).Messages).Flags);
    }

    [Fact]
    public async Task Flag_ChangedByAnotherClient_RowUpdatesLive()
    {
        var (bob, client) = await MailboxWithAsync("Flag me elsewhere");
        await using var _ = client;
        await _page.LogInAsync(bob);
        var row = await _page.RowAsync("Flag me elsewhere");

        await client.ChangeFlagsAsync("Inbox", [row.Id], ["flagged"], null);

        await _page.WaitAsync(() => _page.Rows().Single().Flagged, "the row shows the flag set elsewhere");
    }

    [Fact]
    public async Task Delete_OpenMessage_GoesToTrash()
    {
        var (bob, client) = await MailboxWithAsync("Throw away", "Keep");
        await using var _ = client;
        await _page.LogInAsync(bob);
        await _page.OpenMessageAsync("Throw away");

        await _page.ClickAsync("action-delete");

        await _page.WaitAsync(() => _page.Rows().Select(r => r.Subject).SequenceEqual(["Keep"]), "only Keep is listed");
        Assert.Equal("Throw away", Assert.Single((await client.ListMessagesAsync("Trash")).Messages).Subject);
    }

    [Fact]
    public async Task Keyboard_JkOAndQuestionMark_MoveOpenAndListShortcuts()
    {
        // Sent in this order: listed newest first, so Third is at the top.
        var (bob, client) = await MailboxWithAsync("First", "Second", "Third");
        await using var _ = client;
        await _page.LogInAsync(bob);
        await _page.RowAsync("First");
        _page.Run("document.querySelector('[data-testid=message-list]').focus();");

        _page.Press("j");
        await _page.WaitAsync(() => Selected() is not null, "j selected a row");
        var afterJ = Selected();
        _page.Press("j");
        await _page.WaitAsync(() => Selected() != afterJ, "a second j moved down");
        _page.Press("k");
        await _page.WaitAsync(() => Selected() == afterJ, "k moved back up");
        _page.Press("o");
        await _page.WaitAsync(() => _page.Element("reader-subject").Text == afterJ, "o opened the selected message");

        _page.Run("document.querySelector('[data-testid=message-list]').focus();");
        _page.Press("?");
        var help = await _page.VisibleAsync("help-dialog");
        Assert.Contains("Next / previous message", help.Text, StringComparison.Ordinal);
        _page.Press(Keys.Escape);
        await _page.WaitAsync(() => !_page.Element("help-dialog").Displayed, "Escape closed the help");
    }

    private string? Selected() =>
        _page.Elements("message-row").FirstOrDefault(r => r.GetDomAttribute("aria-selected") == "true")?.FindElement(WebPage.Id("row-subject")).Text;

    // A fresh bob with one message from a fresh alice per subject, in order; and a client logged in as bob.
    private async Task<(TestAccount Bob, ButterflyClient Client)> MailboxWithAsync(params string[] subjects)
    {
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        var bob = await fixture.Daemon.NewAccountAsync("bob");
        await using (var sender = await fixture.Daemon.ConnectAsync(alice))
        {
            foreach (var subject in subjects)
            {
                await sender.SendAsync(new SendRequest { To = [bob.Address], Subject = subject, Text = $"Body of {subject}." });
            }
        }

        return (bob, await fixture.Daemon.ConnectAsync(bob));
    }
}
