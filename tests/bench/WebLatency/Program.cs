// The web client's figures (issue 13, closing note), in a real headless Chromium against a running daemon:
//  1. page weight and time to interactive of a first load (fresh profile, empty cache) and of reloads;
//  2. latency from the `send` acknowledgement (ButterflyClient, in this process) to the message's row
//     appearing in the recipient's open page (a MutationObserver in the page), p50/p99.
//
// Clocks: the ack is timed here with the wall clock (DateTimeOffset.UtcNow, clock_gettime REALTIME, µs);
// the arrival in the page with performance.timeOrigin + performance.now(), also taken from the machine's
// wall clock at navigation and monotonic after. The offset between the two is measured, not assumed: a
// script returning the page's clock is run between two readings of ours, 50 times; the round trip with
// the smallest gap bounds the offset to ± half that gap, which is printed. Arrival minus (ack + offset)
// is the latency. (Having the harness tell the page "ack now" instead would add the WebDriver round trip,
// about a millisecond, to every ack time.)
//
// usage: WebLatency WEB_URL SERVER FROM FROM_PASSWORD TO TO_PASSWORD [COUNT] [WARMUP]
using System.Globalization;
using Butterfly.Client;
using Butterfly.TestUtilities;

if (args.Length < 6)
{
    Console.Error.WriteLine("usage: WebLatency WEB_URL SERVER FROM FROM_PASSWORD TO TO_PASSWORD [COUNT] [WARMUP]");
    return 2;
}

var web = new Uri(args[0]);
var (server, from, fromPassword, to, toPassword) = (args[1], args[2], args[3], args[4], args[5]);
var count = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 100;
var warmup = args.Length > 7 ? int.Parse(args[7], CultureInfo.InvariantCulture) : 10;

// Injected before any script of each document (DevTools: not subject to the page's CSP): times when the page
// says it is usable — body[data-ready] (login form or mail screen drawn) and the list's data-state="ready".
const string Marks = """
    window.__marks = {};
    new MutationObserver(() => {
      const b = document.body;
      if (!b) return;
      if (b.dataset.ready === '1' && !window.__marks.ready) window.__marks.ready = performance.now();
      const list = document.querySelector('[data-testid=message-list]');
      if (list && list.dataset.state === 'ready' && b.dataset.conn === 'open' && !window.__marks.mailbox) window.__marks.mailbox = performance.now();
    }).observe(document, { subtree: true, childList: true, attributes: true });
    """;

// Rows whose subject starts with "lat-" are timed when inserted, and at the next animation frame (painted).
const string Observe = """
    window.__arrived = {};
    new MutationObserver(records => {
      const now = performance.timeOrigin + performance.now();
      for (const r of records) for (const n of r.addedNodes) {
        if (!(n instanceof Element)) continue;
        const rows = n.matches('[data-testid=message-row]') ? [n] : n.querySelectorAll('[data-testid=message-row]');
        for (const row of rows) {
          const s = row.querySelector('[data-testid=row-subject]');
          const subject = s && s.textContent;
          if (subject && subject.startsWith('lat-') && !(subject in window.__arrived)) {
            window.__arrived[subject] = { dom: now };
            requestAnimationFrame(() => { window.__arrived[subject].frame = performance.timeOrigin + performance.now(); });
          }
        }
      }
    }).observe(document.querySelector('[data-testid=message-list]'), { childList: true, subtree: true });
    """;

await using var browser = await ChromiumBrowser.StartAsync(recordRequests: false);
browser.Driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?> { ["source"] = Marks });

// 1. First load, fresh profile: the login form.
browser.Open(web);
await Eventually.TrueAsync(() => browser.Run("return window.__marks.ready !== undefined;") is true, "the login form is drawn");
var cold = Load(browser);

// Log in through the form.
browser.Driver.FindElement(OpenQA.Selenium.By.CssSelector("[data-testid=login-user]")).SendKeys(to);
browser.Driver.FindElement(OpenQA.Selenium.By.CssSelector("[data-testid=login-password]")).SendKeys(toPassword);
browser.Driver.FindElement(OpenQA.Selenium.By.CssSelector("[data-testid=login-submit]")).Click();
await Eventually.TrueAsync(() => browser.Run("return window.__marks.mailbox !== undefined;") is true, "the mailbox is listed");

// Reloads: cached files, the session resumed with the tab's token, the mailbox listed.
var reloads = new List<LoadFigures>();
for (var i = 0; i < 5; i++)
{
    browser.Driver.Navigate().Refresh();
    await Eventually.TrueAsync(() => browser.Run("return window.__marks && window.__marks.mailbox !== undefined;") is true, "the mailbox is listed after a reload");
    reloads.Add(Load(browser));
}

// 2. Send → shown.
browser.Run(Observe);
var offset = ClockOffset(browser);
await using var client = await ButterflyClient.ConnectAsync(server);
await client.LoginAsync(from, fromPassword);
var dom = new List<double>();
var frame = new List<double>();
for (var i = 0; i < warmup + count; i++)
{
    var subject = $"lat-{i}";
    await client.SendAsync(new SendRequest { To = [to], Subject = subject, Text = "Timing the web client." });
    var acked = NowMs() + offset.Offset;
    double[]? arrived = null;
    await Eventually.TrueAsync(
        () => (arrived = ArrivedAt(browser, subject)) is not null,
        $"{subject} appeared in the page");
    if (i >= warmup)
    {
        dom.Add(arrived![0] - acked);
        frame.Add(arrived[1] - acked);
    }
}

Console.WriteLine();
Console.WriteLine("web client (headless Chromium " + browser.Driver.Capabilities.GetCapability("browserVersion") + ", loopback)");
Console.WriteLine($"  clock offset browser − harness: {offset.Offset:F3} ms ± {offset.Uncertainty:F3} ms");
Console.WriteLine();
Console.WriteLine("| load | requests | transferred | encoded body | decoded body | DOMContentLoaded | usable |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
Console.WriteLine(Row("first (empty cache) → login form", cold));
var median = reloads.OrderBy(r => r.Usable).ElementAt(reloads.Count / 2);
Console.WriteLine(Row($"reload (cache, token; median of {reloads.Count}) → mailbox", median));
Console.WriteLine();
Console.WriteLine($"| send ack → row in recipient's page (n={count}) | p50 | p90 | p99 | max |");
Console.WriteLine("|---|---:|---:|---:|---:|");
Console.WriteLine(Percentiles("row inserted (MutationObserver)", dom));
Console.WriteLine(Percentiles("next animation frame", frame));
return 0;

static double NowMs() => DateTimeOffset.UtcNow.UtcTicks / (double)TimeSpan.TicksPerMillisecond - DateTimeOffset.UnixEpoch.UtcTicks / (double)TimeSpan.TicksPerMillisecond;

static double[]? ArrivedAt(ChromiumBrowser browser, string subject) =>
    browser.Run("const a = window.__arrived[arguments[0]]; return a && a.frame ? [a.dom, a.frame] : null;", subject) is IReadOnlyList<object> a
        ? [Convert.ToDouble(a[0], CultureInfo.InvariantCulture), Convert.ToDouble(a[1], CultureInfo.InvariantCulture)]
        : null;

static (double Offset, double Uncertainty) ClockOffset(ChromiumBrowser browser)
{
    var best = (Offset: 0.0, Uncertainty: double.MaxValue);
    for (var i = 0; i < 50; i++)
    {
        var before = NowMs();
        var page = Convert.ToDouble(browser.Run("return performance.timeOrigin + performance.now();"), CultureInfo.InvariantCulture);
        var after = NowMs();
        if ((after - before) / 2 < best.Uncertainty)
        {
            best = (page - (before + after) / 2, (after - before) / 2);
        }
    }

    return best;
}

static LoadFigures Load(ChromiumBrowser browser)
{
    var figures = (IReadOnlyDictionary<string, object>)browser.Run("""
        const nav = performance.getEntriesByType('navigation')[0];
        const all = [nav, ...performance.getEntriesByType('resource')];
        return {
          requests: all.length,
          transfer: all.reduce((n, e) => n + e.transferSize, 0),
          encoded: all.reduce((n, e) => n + e.encodedBodySize, 0),
          decoded: all.reduce((n, e) => n + e.decodedBodySize, 0),
          dcl: nav.domContentLoadedEventEnd,
          usable: window.__marks.mailbox !== undefined ? window.__marks.mailbox : window.__marks.ready,
        };
        """)!;
    double D(string key) => Convert.ToDouble(figures[key], CultureInfo.InvariantCulture);
    return new LoadFigures((int)D("requests"), (long)D("transfer"), (long)D("encoded"), (long)D("decoded"), D("dcl"), D("usable"));
}

static string Row(string name, LoadFigures f) => string.Create(
    CultureInfo.InvariantCulture,
    $"| {name} | {f.Requests} | {f.Transferred:N0} B | {f.Encoded:N0} B | {f.Decoded:N0} B | {f.DomContentLoaded:F0} ms | {f.Usable:F0} ms |");

static string Percentiles(string name, List<double> values)
{
    var sorted = values.Order().ToArray();
    double P(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    return string.Create(CultureInfo.InvariantCulture, $"| {name} | {P(0.50):F2} ms | {P(0.90):F2} ms | {P(0.99):F2} ms | {sorted[^1]:F2} ms |");
}

internal sealed record LoadFigures(int Requests, long Transferred, long Encoded, long Decoded, double DomContentLoaded, double Usable);
