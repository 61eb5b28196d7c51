using Butterfly.Client;
using Butterfly.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Butterfly.Web.Tests;

/// <summary>
/// A mailbox with a few messages and one open, saved as a test artifact (TestResults/screenshots/web-client.png);
/// docs/web-client.png, shown in the README, is a copy of it. The other screens are saved by the tests that
/// reach them (login, mailbox, reader, compose, settings, script editor, phone list and reader).
/// </summary>
public sealed class ScreenshotTests(DesktopFixture fixture, ITestOutputHelper output) : IClassFixture<DesktopFixture>
{
    private readonly WebPage _page = fixture.Page;

    [Fact]
    public async Task Mailbox_WithMessageOpen_SavedAsScreenshot()
    {
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        var carol = await fixture.Daemon.NewAccountAsync("carol");
        var bob = await fixture.Daemon.NewAccountAsync("bob");
        await using (var fromCarol = await fixture.Daemon.ConnectAsync(carol))
        {
            await fromCarol.SendAsync(new SendRequest { To = [bob.Address], Subject = "Garden club: seeds for spring", Text = "We are swapping seeds on Saturday." });
            await fromCarol.SendAsync(new SendRequest { To = [bob.Address], Subject = "Photos from the hike", Text = "The view from the ridge was worth the climb." });
        }

        await using (var fromAlice = await fixture.Daemon.ConnectAsync(alice))
        {
            await fromAlice.SendAsync(new SendRequest { To = [bob.Address], Subject = "Invoice #2026-114", Text = "Paid, thank you." });
            await fromAlice.SendAsync(new SendRequest
            {
                To = [bob.Address],
                Cc = [carol.Address],
                Subject = "Lunch on Friday?",
                Text = "Hi Bob,\n\nShall we try the new café by the river on Friday at noon?\nCarol is coming too.\n\nAlice",
            });
        }

        await _page.LogInAsync(bob);
        await _page.OpenMessageAsync("Lunch on Friday?");
        await _page.WaitAsync(() => _page.Rows().Count(r => r.Unread) == 3, "the three others are unread");

        var path = _page.Screenshot("web-client");
        output.WriteLine("screenshot: " + path);
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
    }
}
