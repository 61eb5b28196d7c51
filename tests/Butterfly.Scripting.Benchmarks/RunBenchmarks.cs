using BenchmarkDotNet.Attributes;

namespace Butterfly.Scripting.Benchmarks;

/// <summary>The cost of one run of example 1 with 100 subscribers (100 sends), and of compiling it.</summary>
[MemoryDiagnoser]
public class RunBenchmarks
{
    private readonly ScriptRunner _runner = new();
    private PreparedScript _script = null!;
    private ScriptMessage _post = null!;
    private ScriptRunContext _context = null!;
    private PreparedScript _passThrough = null!;

    [GlobalSetup]
    public void Setup()
    {
        _script = ScriptCompiler.Compile(TinyList.Source, ScriptLimits.Default).Script
            ?? throw new InvalidOperationException("example 1 does not compile");
        _post = TinyList.Post();
        _passThrough = ScriptCompiler.Compile(PassThroughSource, ScriptLimits.Default).Script
            ?? throw new InvalidOperationException("the pass-through script does not compile");
        _context = TinyList.Context(TinyList.State(100));
        var result = RunExample1With100Subscribers();
        if (!result.Succeeded || result.Effects.Count != 100)
        {
            throw new InvalidOperationException($"example 1 did not send 100 messages: {result.Error}");
        }
    }

    /// <summary>One onMessage run: fresh engine, state parsed and written back, 100 send effects.</summary>
    [Benchmark]
    public ScriptRunResult RunExample1With100Subscribers() =>
        _runner.RunMessage(_script, _post, _context, ScriptLimits.Default, CancellationToken.None);

    /// <summary>
    /// A script that only files the message into the owner's Inbox: the least a programmable address costs,
    /// to set beside a pass-through filter daemon's round trip (tests/Butterfly.Filters.Tests/Bench/filter-bench.sh).
    /// </summary>
    [Benchmark]
    public ScriptRunResult RunPassThrough() =>
        _runner.RunMessage(_passThrough, _post, TinyList.Context("{}"), ScriptLimits.Default, CancellationToken.None);

    /// <summary>Parsing and checking the script: what a cache miss costs.</summary>
    [Benchmark]
    public PreparedScript? CompileExample1() => ScriptCompiler.Compile(TinyList.Source, ScriptLimits.Default).Script;

    /// <summary>Writing the 100 messages the run asks for (the server's part, for scale).</summary>
    [Benchmark]
    public int ComposeExample1Sends()
    {
        var bytes = 0;
        var result = _runner.RunMessage(_script, _post, _context, ScriptLimits.Default, CancellationToken.None);
        for (var i = 0; i < result.Effects.Count; i++)
        {
            bytes += ScriptMail.Compose((SendEffect)result.Effects[i], "play@example.org", "example.org", _context.Now, ScriptMail.EffectSeed(_context.RandomSeed, i)).Length;
        }

        return bytes;
    }

    private const string PassThroughSource = "export function onMessage(message, ctx) { ctx.fileInto('Inbox'); }";
}
