namespace Butterfly.Scripting.Benchmarks;

/// <summary>
/// Memory per cached <see cref="PreparedScript"/>: the managed heap after a full collection, with N
/// distinct compiled copies of example 1 held (each run once, as a cached script would have been), minus
/// the heap without them, over N.
/// </summary>
internal static class CachedScriptMemory
{
    public static void Report(int count = 500)
    {
        var runner = new ScriptRunner();
        var post = TinyList.Post();
        var context = TinyList.Context(TinyList.State(100));
        var source = TinyList.Source;

        // Warm up: the engine's shared statics (built-ins, Jint's caches) are not per script.
        Keep(runner, post, context, source, 5);
        var before = Heap();
        var held = Keep(runner, post, context, source, count);
        var after = Heap();
        GC.KeepAlive(held);

        var perScript = (after - before) / (double)count;
        Console.WriteLine($"example 1 source: {source.Length:N0} characters");
        Console.WriteLine($"retained per cached PreparedScript (run once): {perScript / 1024:N1} KiB ({count} scripts, GC.GetTotalMemory(true) difference)");
        Console.WriteLine($"PreparedScript.ApproximateBytes (allocated while parsing + source): {held[0].ApproximateBytes / 1024.0:N1} KiB");
    }

    private static List<PreparedScript> Keep(ScriptRunner runner, ScriptMessage post, ScriptRunContext context, string source, int count)
    {
        var scripts = new List<PreparedScript>(count);
        for (var i = 0; i < count; i++)
        {
            // A distinct source each time, as distinct addresses' scripts would be.
            var script = ScriptCompiler.Compile(source + $"\n// copy {i}\n", ScriptLimits.Default).Script!;
            runner.RunMessage(script, post, context, ScriptLimits.Default, CancellationToken.None);
            scripts.Add(script);
        }

        return scripts;
    }

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
