using System.Collections.Concurrent;
using Butterfly.Scripting;
using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Telemetry;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Scripts;

/// <summary>
/// The server's side of the script engine (Butterfly.Scripting): the limits from <c>scripts</c> in
/// butterfly.json, prepared scripts cached per address and re-parsed only when the source's hash
/// changes, and the bounded pool every run goes through, so runs never take more than
/// <see cref="ScriptOptions.Workers"/> threads whatever the scripts do.
/// </summary>
internal sealed class ScriptHost : IDisposable
{
    private readonly ConcurrentDictionary<string, (string Hash, PreparedScript Script)> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _pool;

    public ScriptHost(ButterflyOptions options, IMailStore store, DeliveryPipeline pipeline, ILoggerFactory loggers)
    {
        Options = options.Scripts;
        Store = store;
        Pipeline = pipeline;
        Logger = loggers.CreateLogger("Butterfly.Scripts");
        _pool = new SemaphoreSlim(Options.Workers, Options.Workers);
        Limits = new ScriptLimits
        {
            MaxStatements = Options.MaxStatements,
            MaxCpuTime = TimeSpan.FromMilliseconds(Options.MaxCpuMilliseconds),
            MaxMemoryBytes = Options.MaxMemoryBytes,
            MaxRecursionDepth = Options.MaxRecursionDepth,
            MaxSends = Options.MaxSends,
            MaxStateBytes = Options.MaxStateBytes,
            MaxLogLines = Options.MaxLogLines,
        };
    }

    /// <summary>The <c>scripts</c> options.</summary>
    public ScriptOptions Options { get; }

    /// <summary>The limits of every run and of a script's top-level code.</summary>
    public ScriptLimits Limits { get; }

    /// <summary>The store.</summary>
    public IMailStore Store { get; }

    /// <summary>The delivery pipeline, through which every run's effects are committed.</summary>
    public DeliveryPipeline Pipeline { get; }

    /// <summary>The scripts' log category.</summary>
    public ILogger Logger { get; }

    /// <summary>The engine; thread-safe.</summary>
    public ScriptRunner Runner { get; } = new();

    /// <summary>One run per address at a time.</summary>
    public ScriptLanes Lanes { get; } = new();

    /// <summary>Set when a script was stored or deleted: the schedule worker looks again.</summary>
    public WorkSignal SchedulesChanged { get; } = new();

    /// <summary>Prepared scripts in the cache.</summary>
    public int CachedScripts => _cache.Count;

    /// <summary>What the cached prepared scripts hold, roughly (<see cref="PreparedScript.ApproximateBytes"/>).</summary>
    public long CachedBytes => _cache.Values.Sum(c => c.Script.ApproximateBytes);

    /// <summary>Parses a script and runs its top-level code under the limits.</summary>
    public ScriptCompilation Compile(string source) => ScriptCompiler.Compile(source, Limits);

    /// <summary>The prepared form of a stored script, from the cache when its hash is the one cached.</summary>
    public ScriptCompilation Prepare(StoredScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (_cache.TryGetValue(script.Address, out var cached) && cached.Hash == script.Hash)
        {
            return new ScriptCompilation(cached.Script, null);
        }

        var compiled = Compile(script.Source);
        if (compiled.Script is { } prepared)
        {
            _cache[script.Address] = (script.Hash, prepared);
        }

        return compiled;
    }

    /// <summary>Puts a freshly compiled script in the cache (after an upload), replacing the address's old one.</summary>
    public void Remember(string address, string hash, PreparedScript script) => _cache[address] = (hash, script);

    /// <summary>Drops the cached script of an address (deleted, disallowed).</summary>
    public void Forget(string address) => _cache.TryRemove(address, out _);

    /// <summary>
    /// Runs <paramref name="run"/> on the pool: at most <see cref="ScriptOptions.Workers"/> at once, each
    /// on a thread pool thread of its own while it runs (the engine's synchronous runs).
    /// </summary>
    public Task<ScriptRunResult> RunAsync(Func<ScriptRunResult> run, CancellationToken ct) =>
        RunAsync(() => Task.Run(run, ct), ct);

    /// <summary>
    /// Runs <paramref name="run"/> on the pool: at most <see cref="ScriptOptions.Workers"/> at once. For the
    /// engine's asynchronous runs, which hold one of its deep-stack threads and no thread pool thread.
    /// </summary>
    public async Task<ScriptRunResult> RunAsync(Func<Task<ScriptRunResult>> run, CancellationToken ct)
    {
        await _pool.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // butterfly.script.duration: the run itself, not the wait for a worker.
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var result = await run().ConfigureAwait(false);
            ButterflyMetrics.ScriptDuration.Record(
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("result", ResultTag(result.Outcome)));
            return result;
        }
        finally
        {
            _pool.Release();
        }
    }

    /// <summary>The <c>result</c> tag of <c>butterfly.script.duration</c>: a constant per outcome, nothing built per run.</summary>
    private static string ResultTag(ScriptOutcome outcome) => outcome switch
    {
        ScriptOutcome.Completed => "completed",
        ScriptOutcome.NoHandler => "no-handler",
        ScriptOutcome.SyntaxError => "syntax-error",
        ScriptOutcome.RuntimeError => "runtime-error",
        ScriptOutcome.Cancelled => "cancelled",
        _ => "limit",
    };

    /// <summary>The domain of an address.</summary>
    public static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..];

    public void Dispose() => _pool.Dispose();
}
