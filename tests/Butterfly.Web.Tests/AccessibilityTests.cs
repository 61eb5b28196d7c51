using System.Text.Json;
using Butterfly.Client;
using Butterfly.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Butterfly.Web.Tests;

/// <summary>
/// axe-core (TestData/axe-core, vendored from npm) run inside the test browser on each main screen; a
/// violation of impact serious or critical fails the test, and the message lists every one with the
/// elements it was found on. The message frame is left out (<c>iframes: false</c>): its content is
/// whatever the sender wrote.
/// </summary>
public sealed class AccessibilityTests(DesktopFixture fixture, ITestOutputHelper output) : IClassFixture<DesktopFixture>
{
    private const string RunAxe = """
        const done = arguments[arguments.length - 1];
        axe.run(document, { iframes: false, resultTypes: ['violations'] })
          .then(r => done(JSON.stringify(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) })))))
          .catch(e => done(JSON.stringify([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }])));
        """;

    private static readonly Lazy<string> _axe = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "axe-core", "axe.min.js")));

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

        _page.Run(_axe.Value);
        var json = (string)fixture.Browser.Driver.ExecuteAsyncScript(RunAxe)!;
        var violations = JsonSerializer.Deserialize<Violation[]>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        foreach (var v in violations)
        {
            output.WriteLine($"{v.Impact} {v.Id}: {v.Help} — {string.Join(", ", v.Nodes)}");
        }

        var serious = violations.Where(v => v.Impact is "serious" or "critical").ToArray();
        Assert.True(serious.Length == 0, $"axe found on the {screen} screen:\n" + string.Join("\n", serious.Select(v => $"- {v.Impact} {v.Id}: {v.Help}\n    at {string.Join("\n    at ", v.Nodes)}")));
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

    private sealed record Violation(string Id, string? Impact, string Help, string[] Nodes);
}
