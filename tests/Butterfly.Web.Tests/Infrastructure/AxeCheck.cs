using System.Text.Json;
using Butterfly.TestUtilities;

namespace Butterfly.Web.Tests.Infrastructure;

/// <summary>
/// axe-core (TestData/axe-core, vendored from npm) injected into the page the browser shows and run there.
/// The message frame is left out (<c>iframes: false</c>): its content is whatever the sender wrote.
/// </summary>
public static class AxeCheck
{
    private const string RunAxe = """
        const done = arguments[arguments.length - 1];
        axe.run(document, { iframes: false, resultTypes: ['violations'] })
          .then(r => done(JSON.stringify(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) })))))
          .catch(e => done(JSON.stringify([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }])));
        """;

    private static readonly Lazy<string> _axe = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "axe-core", "axe.min.js")));

    /// <summary>Every violation on the page, one line each: "impact id: help — elements".</summary>
    public static IReadOnlyList<Violation> Run(ChromiumBrowser browser)
    {
        browser.Run(_axe.Value);
        var json = (string)browser.Driver.ExecuteAsyncScript(RunAxe)!;
        return JsonSerializer.Deserialize<Violation[]>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    /// <summary>A failure message listing the serious and critical violations, or null when there are none.</summary>
    public static string? Serious(IReadOnlyList<Violation> violations, string screen)
    {
        var serious = violations.Where(v => v.Impact is "serious" or "critical").ToArray();
        return serious.Length == 0
            ? null
            : $"axe found on the {screen} screen:\n" + string.Join("\n", serious.Select(v => $"- {v.Impact} {v.Id}: {v.Help}\n    at {string.Join("\n    at ", v.Nodes)}"));
    }

    /// <summary>One axe violation.</summary>
    /// <param name="Id">The rule.</param>
    /// <param name="Impact">minor, moderate, serious or critical.</param>
    /// <param name="Help">What the rule asks.</param>
    /// <param name="Nodes">CSS selectors of the elements found.</param>
    public sealed record Violation(string Id, string? Impact, string Help, string[] Nodes)
    {
        public override string ToString() => $"{Impact} {Id}: {Help} — {string.Join(", ", Nodes)}";
    }
}
