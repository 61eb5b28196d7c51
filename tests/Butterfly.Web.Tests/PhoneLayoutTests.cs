using Butterfly.Client;
using Butterfly.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Butterfly.Web.Tests;

/// <summary>The page at phone width (390×844): one pane at a time, each reachable, nothing wider than the screen, axe-clean.</summary>
public sealed class PhoneLayoutTests(PhoneFixture fixture, ITestOutputHelper output) : IClassFixture<PhoneFixture>
{
    // Visible elements sticking out past the right edge, as "tag.class[testid] right=N"; one inside a box that
    // scrolls or clips sideways (the reader's toolbar scrolls at phone width) counts only if that box sticks out.
    private const string Overflowing = """
        const width = window.innerWidth;
        const clipped = el => {
          for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return a.getBoundingClientRect().right <= width + 1;
          }
          return false;
        };
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
          if (!el.checkVisibility()) continue;
          const r = el.getBoundingClientRect();
          if (r.width > 0 && r.right > width + 1 && !clipped(el)) out.push(`${el.tagName.toLowerCase()}.${el.className}[${el.dataset.testid || ''}] right=${Math.round(r.right)}`);
        }
        if (document.documentElement.scrollWidth > width) out.push(`document scrollWidth=${document.documentElement.scrollWidth}`);
        return out.join('\n');
        """;

    private readonly WebPage _page = fixture.Page;

    [Fact]
    public async Task PhoneWidth_ListReaderAndFolders_EachReachableAndNothingWiderThanScreen()
    {
        var alice = await fixture.Daemon.NewAccountAsync("alice");
        var bob = await fixture.Daemon.NewAccountAsync("bob");
        await using (var client = await fixture.Daemon.ConnectAsync(alice))
        {
            await client.SendAsync(new SendRequest
            {
                To = [bob.Address],
                Subject = "A rather long subject line that would not fit across a phone held upright",
                Text = "Averylongwordwithoutanyspacesthatmustwrapormakeitsownscrollareaonthephonescreen " + new string('x', 300),
            });
        }

        await _page.LogInAsync(bob);
        Assert.Equal(390L, _page.Run("return window.innerWidth;"));
        await _page.RowAsync("A rather long subject line that would not fit across a phone held upright");
        Assert.True(_page.Element("message-list").Displayed);
        Assert.False(_page.Element("reader").Displayed, "the reader takes no room while the list is shown");
        Assert.Empty((string)_page.Run(Overflowing)!);
        Assert.Null(AxeCheck.Serious(AxeCheck.Run(fixture.Browser), "phone list"));
        output.WriteLine("screenshot: " + _page.Screenshot("phone-list"));

        await _page.OpenMessageAsync("A rather long subject line that would not fit across a phone held upright");
        Assert.True(_page.Element("reader-text").Displayed);
        Assert.False(_page.Element("message-list").Displayed, "the list gives way to the reader");
        Assert.Empty((string)_page.Run(Overflowing)!);
        Assert.Null(AxeCheck.Serious(AxeCheck.Run(fixture.Browser), "phone reader"));
        output.WriteLine("screenshot: " + _page.Screenshot("phone-reader"));

        await _page.ClickAsync("reader-back");
        await _page.WaitAsync(() => _page.Element("message-list").Displayed, "back shows the list");
        await _page.ClickAsync("nav-folders");
        await _page.WaitAsync(() => _page.Element("folder-tree").Displayed, "the folder tree is shown");
        Assert.Empty((string)_page.Run(Overflowing)!);
        await _page.OpenFolderAsync("Inbox");
        await _page.WaitAsync(() => _page.Element("message-list").Displayed, "choosing a folder shows its list");
    }
}
