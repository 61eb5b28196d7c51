using System.Text.RegularExpressions;

namespace Butterfly.Server.Tests.Architecture;

/// <summary>
/// The layering of Butterfly.Server's folders as its README states it, under "## Layers": a
/// numbered list, lowest first, each line naming its folders in backticks.
/// </summary>
internal sealed partial class ServerLayers
{
    private readonly Dictionary<string, int> _layerOf;

    private ServerLayers(Dictionary<string, int> layerOf) => _layerOf = layerOf;

    /// <summary>Every folder the README places.</summary>
    public IEnumerable<string> Folders => _layerOf.Keys;

    /// <summary>Reads the README copied beside the test assembly (see the test project's file).</summary>
    public static ServerLayers Read()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Architecture", "Butterfly.Server.README.md"));
        var layerOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var inSection = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inSection = line == "## Layers";
                continue;
            }

            var item = inSection ? LayerLine().Match(line) : Match.Empty;
            if (item.Success)
            {
                var layer = int.Parse(item.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                foreach (Match folder in FolderName().Matches(item.Groups[2].Value))
                {
                    Assert.True(layerOf.TryAdd(folder.Groups[1].Value, layer), $"README names {folder.Value} on two layers");
                }
            }
        }

        Assert.True(layerOf.Count > 0, "README.md of Butterfly.Server has no numbered list under \"## Layers\"");
        return new ServerLayers(layerOf);
    }

    /// <summary>Whether the README places <paramref name="folder"/>.</summary>
    public bool Knows(string folder) => folder == FolderGraph.Root || _layerOf.ContainsKey(folder);

    /// <summary>
    /// Whether <paramref name="from"/> may use <paramref name="to"/>: only a folder on a lower line.
    /// The root wires everything and may use any folder; no folder may use the root.
    /// </summary>
    public bool Allows(string from, string to) =>
        to != FolderGraph.Root && (from == FolderGraph.Root || _layerOf[to] < _layerOf[from]);

    [GeneratedRegex(@"^(\d+)\.\s+(.*)$")]
    private static partial Regex LayerLine();

    [GeneratedRegex(@"`([A-Za-z]+)`")]
    private static partial Regex FolderName();
}
