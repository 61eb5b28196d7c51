namespace Butterfly.Server.Tests.Architecture;

/// <summary>
/// Folders inside Butterfly.Server point one way (STYLE.md, habit 18): the compiled assembly's
/// dependencies between folders against the layers src/Butterfly.Server/README.md states.
/// </summary>
public sealed class FolderDependencyTests
{
    private static readonly Lazy<FolderGraph> _graph = new(() => FolderGraph.Read(typeof(ButterflyServer).Assembly, "Butterfly.Server"));

    [Fact]
    public void Folders_UseOnlyLowerLayers_NoOtherDependency()
    {
        var layers = ServerLayers.Read();
        var wrong = _graph.Value.Edges
            .Where(e => layers.Knows(e.Key.From) && layers.Knows(e.Key.To) && !layers.Allows(e.Key.From, e.Key.To))
            .Select(e => $"{e.Key.From} -> {e.Key.To} ({e.Value.From.FullName} uses {e.Value.To.FullName})")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(wrong.Count == 0, "Dependencies against the layers of src/Butterfly.Server/README.md:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void Layers_PlaceEveryFolder_NoneLeftOut()
    {
        var layers = ServerLayers.Read();
        var unplaced = _graph.Value.Folders.Where(f => !layers.Knows(f)).Order(StringComparer.Ordinal).ToList();

        Assert.True(unplaced.Count == 0, "Folders missing from \"## Layers\" in src/Butterfly.Server/README.md: " + string.Join(", ", unplaced));
    }

    [Fact]
    public void Read_KnownDependencies_AreSeen()
    {
        // The reader must see through interfaces, closures and async state machines, or the test above proves nothing.
        var edges = _graph.Value.Edges;

        Assert.Contains(("Delivery", "Filters"), edges.Keys);
        Assert.Contains(("Queue", "Federation"), edges.Keys);
        Assert.Contains(("Sessions", "Commands"), edges.Keys);
        Assert.Contains((FolderGraph.Root, "Listener"), edges.Keys);
        Assert.Equal("Delivery", _graph.Value.FolderOf(typeof(Butterfly.Server.Delivery.DeliveryPipeline).GetNestedTypes(System.Reflection.BindingFlags.NonPublic)[0]));
    }
}
