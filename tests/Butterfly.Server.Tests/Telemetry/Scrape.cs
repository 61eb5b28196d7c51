using System.Globalization;

namespace Butterfly.Server.Tests.Telemetry;

/// <summary>One scrape of <c>/metrics</c> in Prometheus' text format: every sample by name and labels.</summary>
internal sealed class Scrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private Scrape(string text)
    {
        Text = text;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            var name = brace >= 0 && brace < space ? line[..brace] : line[..line.IndexOf(' ', StringComparison.Ordinal)];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (brace >= 0 && brace < space)
            {
                var body = line[(brace + 1)..line.LastIndexOf('}')];
                foreach (var pair in body.Split("\",", StringSplitOptions.RemoveEmptyEntries))
                {
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    labels[pair[..equals]] = pair[(equals + 1)..].Trim('"');
                }
            }

            // A sample may end with a timestamp after its value.
            var fields = line[(brace >= 0 && brace < space ? line.LastIndexOf('}') + 1 : name.Length)..].Trim().Split(' ');
            _samples.Add((name, labels, double.Parse(fields[0], CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>The whole response.</summary>
    public string Text { get; }

    /// <summary>Reads <c>/metrics</c> of <paramref name="address"/>.</summary>
    public static async Task<Scrape> ReadAsync(HttpClient http, Uri address) =>
        new(await http.GetStringAsync(new Uri(address, "/metrics")));

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>Whether any sample is named <paramref name="name"/>.</summary>
    public bool Has(string name) => _samples.Exists(s => s.Name == name);
}
