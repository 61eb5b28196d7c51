using System.Text;
using Butterfly.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Butterfly.Web.Tests;

/// <summary>Writing in the page: a message with an attachment the recipient downloads; drafts saved as you type.</summary>
public sealed class ComposeTests(DesktopFixture fixture, ITestOutputHelper output) : IClassFixture<DesktopFixture>, IDisposable
{
    private readonly WebPage _page = fixture.Page;

    [Fact]
    public async Task Send_WithAttachment_RecipientDownloadsSameBytes()
    {
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        var bob = await fixture.Daemon.NewAccountAsync("bob");
        var name = $"report-{Guid.NewGuid():N}.bin";
        var bytes = new byte[50_000];
        new Random(13).NextBytes(bytes);
        var file = Path.Combine(Path.GetTempPath(), name);
        await File.WriteAllBytesAsync(file, bytes);
        try
        {
            await _page.LogInAsync(bob);
            var bobsTab = _page.Driver.CurrentWindowHandle;
            fixture.Browser.OpenTab(_page.Url);
            await _page.LogInHereAsync(alice);

            await _page.ComposeAsync(bob.Address, "The report", "Attached, as promised.");
            _page.Element("compose-files").SendKeys(file);
            await _page.WaitAsync(() => _page.Elements("compose-attachment").Any(a => a.GetDomAttribute("data-name") == name), "the file is listed as attached");
            output.WriteLine("screenshot: " + _page.Screenshot("compose"));
            await _page.SendComposedAsync();

            _page.Driver.SwitchTo().Window(bobsTab);
            await _page.OpenMessageAsync("The report");
            var attachment = await _page.VisibleAsync("attachment");
            Assert.Contains(name, attachment.Text, StringComparison.Ordinal);
            attachment.FindElement(WebPage.Id("attachment-download")).Click();

            var downloaded = Path.Combine(fixture.Browser.DownloadDirectory, name);
            await _page.WaitAsync(() => File.Exists(downloaded) && new FileInfo(downloaded).Length == bytes.Length, "the attachment is downloaded whole");
            Assert.Equal(bytes, await File.ReadAllBytesAsync(downloaded));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Typing_InComposer_SavesDraftAndReplacesItAsTypingGoesOn()
    {
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        await using var client = await fixture.Daemon.ConnectAsync(alice);
        await _page.LogInAsync(alice);

        await _page.ComposeAsync("bob@example.org", "Half written", "First thoughts");

        await Butterfly.TestUtilities.Eventually.TrueAsync(
            async () => (await client.ListMessagesAsync("Drafts")).Messages is [{ Subject: "Half written" } draft] && draft.Flags.Contains("draft"),
            "the draft is saved in Drafts");
        await _page.WaitAsync(() => _page.Element("compose-status").GetDomAttribute("data-saved-id") is not null, "the composer says the draft is saved");

        _page.Element("compose-body").SendKeys(", and second thoughts");

        await Butterfly.TestUtilities.Eventually.TrueAsync(
            async () =>
            {
                var drafts = (await client.ListMessagesAsync("Drafts")).Messages;
                if (drafts.Count != 1)
                {
                    return false;
                }

                var content = Encoding.UTF8.GetString((await client.FetchAsync("Drafts", drafts[0].Id)).Content);
                return content.Contains("First thoughts, and second thoughts", StringComparison.Ordinal);
            },
            "the one draft holds the text typed since");
    }

    public void Dispose() => fixture.CloseOtherTabs();
}
